package org.cxr.ingest.domain.intake;

/**
 * The outcome for one received instance. The original UIDs are returned only to the sender that
 * supplied them (the STOW-RS response names the instances it refers to); never logged or announced.
 */
public record InstanceResult(Outcome status, RejectReason reason, String message, String subjectId, String studyId,
                             String dicomId, String sopClassUid, String sopInstanceUid) {

    public static InstanceResult rejected(IntakeRejected r, String sopClassUid, String sopInstanceUid) {
        return new InstanceResult(Outcome.REJECTED, r.reason(), r.getMessage(), null, null, null, sopClassUid, sopInstanceUid);
    }
}
