package org.cxr.catalog.domain.report;

import org.cxr.events.ReportSection;

/**
 * A study's current report, derived from all its revision and labelling facts.
 *
 * @param current the labelling whose labels the study carries (null when none)
 * @param shown the revision shown as the study's report (null when only labellings are known)
 * @param labelled a labelling exists and no newer received revision is waiting for one
 * @param failed no labelling exists and the label stage rejected the report
 */
public record ReportView(ReportStatus status, LabellingFact current, RevisionFact shown, Integer currentRevision,
        boolean received, boolean labelled, boolean failed) {

    /** The study has label rows: labelled with a section other than NONE. */
    public boolean hasLabelRows() {
        return current != null && current.section() != ReportSection.NONE;
    }
}
