package org.cxr.convert.domain.codec;

import java.util.Map;

import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.dicom.TransferSyntax;

/** The compressed transfer syntaxes this package decodes, by transfer syntax UID. */
public final class CompressedCodecs {
    private static final FrameDecoder JPEG = new JpegLossyDecoder();
    private static final FrameDecoder LOSSLESS = new JpegLosslessDecoder();
    private static final FrameDecoder JPEG_LS = new JpegLsDecoder();
    private static final FrameDecoder RLE = new RleLosslessDecoder();

    private CompressedCodecs() {
    }

    /** Immutable map transfer syntax UID to a (thread-safe, shareable) decoder; JPEG 2000 by {@code j2k}. */
    public static Map<String, FrameDecoder> decoders(Jpeg2000Library j2k) {
        FrameDecoder jpeg2000 = new Jpeg2000Decoder(j2k);
        return Map.of(
                TransferSyntax.RLE_LOSSLESS, RLE,
                TransferSyntax.JPEG_BASELINE, JPEG,
                TransferSyntax.JPEG_EXTENDED, JPEG,
                TransferSyntax.JPEG_LOSSLESS, LOSSLESS,
                TransferSyntax.JPEG_LOSSLESS_SV1, LOSSLESS,
                TransferSyntax.JPEG_LS_LOSSLESS, JPEG_LS,
                TransferSyntax.JPEG_LS_NEAR_LOSSLESS, JPEG_LS,
                TransferSyntax.JPEG_2000_LOSSLESS, jpeg2000,
                TransferSyntax.JPEG_2000, jpeg2000);
    }
}
