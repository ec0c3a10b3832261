package org.cxr.ingest.domain.intake;

/** What happened to one received instance or report. */
public enum Outcome {
    /** Stored and announced. */
    ACCEPTED,
    /** The same bytes were received before: nothing stored, nothing announced. */
    DUPLICATE,
    /** The same SOPInstanceUID was received before with different bytes: recorded, the original kept. */
    CONFLICT,
    /** A report identical to the study's current revision: nothing stored, nothing announced. */
    UNCHANGED,
    /** Refused for {@link RejectReason}. */
    REJECTED
}
