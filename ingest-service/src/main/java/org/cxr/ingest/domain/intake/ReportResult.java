package org.cxr.ingest.domain.intake;

/** The outcome for one received report. */
public record ReportResult(Outcome status, RejectReason reason, String message, int revision, String subjectId,
                           String studyId) {

    public static ReportResult rejected(IntakeRejected r) {
        return new ReportResult(Outcome.REJECTED, r.reason(), r.getMessage(), 0, null, null);
    }
}
