package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * JPEG Baseline (1.2.840.10008.1.2.4.50) and JPEG Extended (.51): looks at the frame header's
 * sample precision and hands 8-bit streams to {@link JpegBaselineDecoder} (TwelveMonkeys
 * imageio-jpeg) and 12-bit streams to {@link JpegExtended12BitDecoder} (ours). Stateless and
 * thread-safe.
 */
public final class JpegLossyDecoder implements FrameDecoder {
    private final JpegBaselineDecoder eightBit = new JpegBaselineDecoder();
    private final JpegExtended12BitDecoder twelveBit = new JpegExtended12BitDecoder();

    @Override
    public DecodedFrame decode(byte[] frame, ImageDescriptor d) throws PixelDecodeException {
        return decoderFor(frame).decode(frame, d);
    }

    @Override
    public DecodedFrame decodeUnmasked(byte[] frame, ImageDescriptor d, SampleBuffers buffers)
            throws PixelDecodeException {
        return decoderFor(frame).decodeUnmasked(frame, d, buffers);
    }

    private FrameDecoder decoderFor(byte[] frame) throws PixelDecodeException {
        FrameHeader header = FrameHeader.of(frame);
        if (header == null) {
            throw new PixelDecodeException("JPEG: no frame header (SOF) found in the codestream");
        }
        return switch (header.precision()) {
            case 8 -> eightBit;
            case 12 -> twelveBit;
            default -> throw new PixelDecodeException("JPEG: unsupported sample precision " + header.precision()
                    + " for a DCT-based transfer syntax");
        };
    }
}
