package org.cxr.ingest.domain.intake;

/** An input refused for a reason that retrying will not fix. Messages never carry patient identifiers. */
public class IntakeRejected extends Exception {
    private final RejectReason reason;

    public IntakeRejected(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
