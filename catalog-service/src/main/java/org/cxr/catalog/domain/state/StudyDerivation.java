package org.cxr.catalog.domain.state;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.cxr.catalog.domain.format.MimicFormat;
import org.cxr.events.StudyState;

/** The study columns derived from its images and report besides its state ({@link StudyStateRule}). */
public final class StudyDerivation {
    private StudyDerivation() {
    }

    /**
     * Why a FAILED study failed: the label stage's reason when its report was rejected and nothing
     * is labelled, else the most common reason among its (all failed) instances, ties going to the
     * smallest so that the result does not depend on row order. Null for any other state.
     */
    public static String failureReason(StudyState state, boolean reportFailed, boolean labelled,
            String reportFailureReason, Collection<String> imageFailureReasons) {
        if (state != StudyState.FAILED) {
            return null;
        }
        return reportFailed && !labelled ? reportFailureReason : mostCommon(imageFailureReasons);
    }

    /** The earliest readable StudyDate among its converted images, or null. */
    public static LocalDate studyDate(Collection<String> convertedStudyDates) {
        LocalDate min = null;
        for (String s : convertedStudyDates) {
            LocalDate d = MimicFormat.studyDateValue(s);
            if (d != null && (min == null || d.isBefore(min))) {
                min = d;
            }
        }
        return min;
    }

    /** The distinct ViewPositions of its converted images, sorted. */
    public static String[] viewPositions(Collection<String> convertedViews) {
        return convertedViews.stream().map(String::valueOf).distinct().sorted().toArray(String[]::new);
    }

    private static String mostCommon(Collection<String> values) {
        Map<String, Integer> n = new TreeMap<>();
        for (String v : values) {
            if (v != null) {
                n.merge(v, 1, Integer::sum);
            }
        }
        String best = null;
        for (Map.Entry<String, Integer> e : n.entrySet()) {
            if (best == null || e.getValue() > n.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }
}
