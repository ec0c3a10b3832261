package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * The first frame header (SOFn) of a JPEG codestream, found without decoding: which decoder a
 * JPEG transfer syntax needs, and whether the frame agrees with the DICOM header.
 *
 * @param marker the SOFn marker code (0xC0 baseline, 0xC1 extended, 0xC3 lossless, ...)
 */
record FrameHeader(int marker, int precision, int rows, int columns, int components) {

    /** The frame header before the first scan, or null when the codestream has none (or is broken before it). */
    static FrameHeader of(byte[] codestream) {
        try {
            JpegMarkers markers = new JpegMarkers("JPEG", codestream);
            for (int m = markers.next(""); m != JpegMarkers.EOI && m != JpegMarkers.SOS; m = markers.next("")) {
                if (JpegMarkers.isFrameHeader(m)) {
                    int p = markers.segmentStart;
                    if (markers.segmentEnd - p < 6) {
                        return null;
                    }
                    byte[] b = markers.src;
                    return new FrameHeader(m, b[p] & 0xFF, CodecSupport.u16(b, p + 1), CodecSupport.u16(b, p + 3),
                            b[p + 5] & 0xFF);
                }
            }
            return null;
        } catch (PixelDecodeException e) {
            return null;
        }
    }
}
