package org.cxr.ingest.hl7;

/**
 * What happened to one {@link RisReport}. {@code reason} is a RejectReason name or one of this
 * intake's own (PRELIMINARY, CANCELLED, ...); {@code message} never quotes an identifying value.
 */
public record RisOutcome(Status status, String reason, String message, int revision, String studyId) {

    public enum Status {
        /** A new revision was stored and announced. */
        ACCEPTED,
        /** Identical to the study's current revision: nothing to do. */
        UNCHANGED,
        /** No study with this accession number yet: kept until its images arrive. */
        WAITING,
        /** Not a final result (preliminary, cancelled, ...): not stored. */
        IGNORED,
        /** Refused for {@code reason}. */
        REJECTED,
        /** The object store, broker or database is down: nothing recorded, send again later. */
        UNAVAILABLE
    }

    public static RisOutcome of(Status status, String reason, String message) {
        return new RisOutcome(status, reason, message, 0, null);
    }
}
