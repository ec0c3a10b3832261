package org.cxr.events;

/**
 * Why a stage could not process an event. The taxonomy is small on purpose: operators filter
 * and count by it; the message gives the detail.
 */
public enum FailureReason {
    // convert
    NOT_DICOM,
    TRUNCATED,
    /** Invalid header structure or Image Pixel attributes: the file is broken (DECODE_ERROR: the codec failed). */
    MALFORMED,
    UNSUPPORTED_TRANSFER_SYNTAX,
    NO_PIXEL_DATA,
    MULTI_FRAME,
    UNSUPPORTED_IMAGE,
    DECODE_ERROR,
    TOO_LARGE,
    // label
    EMPTY_REPORT,
    UNDECODABLE_REPORT,
    // any stage
    OBJECT_MISSING,
    INVALID_EVENT,
    INTERNAL_ERROR
}
