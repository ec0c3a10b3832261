package org.cxr.dicom;

/** The input cannot be read as DICOM; {@link #reason()} says why in one word, the message in words. */
public class DicomException extends Exception {
    /** Why a file could not be read. */
    public enum Reason {
        /** Not a DICOM file (no DICM prefix and no plausible raw dataset). */
        NOT_DICOM,
        /** The data ends before a declared length or a delimiter. */
        TRUNCATED,
        /** Structurally invalid (bad lengths, bad delimiters, wrong item tags). */
        MALFORMED,
        /** A transfer syntax this library cannot parse or write. */
        UNSUPPORTED_TRANSFER_SYNTAX,
        /** Over a configured limit (size, nesting depth, item count). */
        TOO_LARGE,
        /** An I/O error reading the source. */
        IO_ERROR
    }

    private final Reason reason;
    private final long offset;

    public DicomException(Reason reason, String message) {
        this(reason, message, -1, null);
    }

    public DicomException(Reason reason, String message, long offset) {
        this(reason, message, offset, null);
    }

    public DicomException(Reason reason, String message, long offset, Throwable cause) {
        super(offset >= 0 ? message + " (at byte " + offset + ")" : message, cause);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset in the (inflated) input where the problem was found, -1 when unknown. */
    public long offset() {
        return offset;
    }
}
