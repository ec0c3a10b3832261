package org.cxr.catalog.domain.report;

/**
 * What a study's report row shows: the revision (key, sha, number), the labelling whose section
 * and text are shown with it, and the label stage's rejection when the report failed.
 *
 * @param labelling the current labelling when it belongs to what is shown: always when the report
 *     is labelled, else only when it is of the shown revision or no revision is known (a labelling
 *     of an older revision is not shown next to a newer revision waiting for its labels); else null
 */
public record ShownReport(ReportStatus status, String reportKey, String reportSha256, Integer revision,
        LabellingFact labelling, String failureReason, String failureMessage) {

    public static ShownReport of(ReportView v) {
        LabellingFact current = v.current();
        RevisionFact shown = v.shown();
        boolean showLabelling = current != null && (v.status() == ReportStatus.LABELLED || shown == null
                || shown.sha256().equals(current.reportSha256()));
        String key = shown != null && shown.reportKey() != null ? shown.reportKey()
                : current == null ? null : current.reportKey();
        String sha = shown != null ? shown.sha256() : current == null ? null : current.reportSha256();
        boolean failed = v.failed() && shown != null;
        return new ShownReport(v.status(), key, sha, v.currentRevision(), showLabelling ? current : null,
                failed ? shown.failureReason() : null, failed ? shown.failureMessage() : null);
    }
}
