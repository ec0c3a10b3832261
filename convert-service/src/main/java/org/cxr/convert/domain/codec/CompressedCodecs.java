package org.cxr.convert.domain.codec;

import java.util.Map;

import org.cxr.convert.domain.pixels.FrameDecoder;

/** The compressed transfer syntaxes this package decodes, by transfer syntax UID. */
public final class CompressedCodecs {
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";

    private static final Map<String, FrameDecoder> DECODERS;

    static {
        FrameDecoder jpeg = new JpegLossyDecoder();
        FrameDecoder lossless = new JpegLosslessDecoder();
        FrameDecoder jpegLs = new JpegLsDecoder();
        FrameDecoder j2k = new Jpeg2000Decoder();
        DECODERS = Map.of(
                RLE_LOSSLESS, new RleLosslessDecoder(),
                JPEG_BASELINE, jpeg,
                JPEG_EXTENDED, jpeg,
                JPEG_LOSSLESS, lossless,
                JPEG_LOSSLESS_SV1, lossless,
                JPEG_LS_LOSSLESS, jpegLs,
                JPEG_LS_NEAR_LOSSLESS, jpegLs,
                JPEG_2000_LOSSLESS, j2k,
                JPEG_2000, j2k);
    }

    private CompressedCodecs() {
    }

    /** Immutable map transfer syntax UID to a (thread-safe, shareable) decoder. */
    public static Map<String, FrameDecoder> decoders() {
        return DECODERS;
    }
}
