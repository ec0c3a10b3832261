package org.cxr.catalog.domain.state;

import org.cxr.events.StudyState;

/**
 * A study's pipeline state as a function of its facts (never of the order they arrived in):
 *
 * <ul>
 * <li>FAILED: the report was rejected and no labelling exists, or every known instance failed;
 * <li>COMPLETE: the report is labelled and every known instance is converted or failed, with at
 *     least one converted;
 * <li>LABELLED: the report is labelled, instances are still pending (or none arrived yet);
 * <li>CONVERTED: not labelled yet, every known instance is converted or failed, at least one converted;
 * <li>RECEIVED: anything else (something arrived, work is pending).
 * </ul>
 * "Known" instances are those the catalog heard of through any event (received, converted or
 * failed), so a conversion seen before its receipt still counts.
 */
public final class StudyStateRule {
    private StudyStateRule() {
    }

    public static StudyState derive(int known, int converted, int failed, boolean labelled, boolean reportFailed) {
        int pending = known - converted - failed;
        if (reportFailed && !labelled) {
            return StudyState.FAILED;
        }
        if (known > 0 && converted == 0 && pending == 0) {
            return StudyState.FAILED;
        }
        if (labelled) {
            return pending == 0 && converted > 0 ? StudyState.COMPLETE : StudyState.LABELLED;
        }
        if (known > 0 && pending == 0) {
            return StudyState.CONVERTED;
        }
        return StudyState.RECEIVED;
    }
}
