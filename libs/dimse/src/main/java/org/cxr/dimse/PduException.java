package org.cxr.dimse;

/**
 * A PDU, or a DIMSE message inside one, that breaks the protocol. The association is aborted by
 * the service provider with {@link #reason()} (one of {@link Pdu.AbortReason}).
 */
public class PduException extends Exception {
    private final int reason;

    public PduException(int reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The A-ABORT reason to send. */
    public int reason() {
        return reason;
    }
}
