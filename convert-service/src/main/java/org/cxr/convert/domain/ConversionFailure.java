package org.cxr.convert.domain;

import org.cxr.dicom.DicomException;

/**
 * Why an instance was not converted (a CLI summary line; the service maps it to the dead-letter
 * reason of {@code org.cxr.events.FailureReason}, which has no IO_ERROR).
 */
public enum ConversionFailure {
    /** The bytes are not DICOM. */
    NOT_DICOM,
    /** The file ends before its header, or its pixel data, is complete. */
    TRUNCATED,
    /** The header is structurally invalid, or Image Pixel attributes are missing or not numbers. */
    MALFORMED,
    /** No decoder for the transfer syntax. */
    UNSUPPORTED_TRANSFER_SYNTAX,
    /** A valid image the recipe does not convert: colour, BitsAllocated other than 8/16/32, ... */
    UNSUPPORTED_IMAGE,
    /** No Pixel Data element (a header-only or non-image object). */
    NO_PIXEL_DATA,
    /** NumberOfFrames > 1 (the rule: multi-frame images are rejected). */
    MULTI_FRAME,
    /** The codec failed on the pixel data. */
    DECODE_ERROR,
    /** Rows x Columns, or the header, over the configured limit. */
    TOO_LARGE,
    /** The input could not be read (I/O). */
    IO_ERROR;

    public static ConversionFailure of(DicomException.Reason r) {
        return switch (r) {
            case NOT_DICOM -> NOT_DICOM;
            case TRUNCATED -> TRUNCATED;
            case MALFORMED -> MALFORMED;
            case UNSUPPORTED_TRANSFER_SYNTAX -> UNSUPPORTED_TRANSFER_SYNTAX;
            case TOO_LARGE -> TOO_LARGE;
            case IO_ERROR -> IO_ERROR;
        };
    }
}
