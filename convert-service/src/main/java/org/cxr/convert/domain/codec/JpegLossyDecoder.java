package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;

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
        int precision = framePrecision(frame);
        return switch (precision) {
            case 8 -> eightBit.decode(frame, d);
            case 12 -> twelveBit.decode(frame, d);
            case -1 -> throw new PixelDecodeException("JPEG: no frame header (SOF) found in the codestream");
            default -> throw new PixelDecodeException("JPEG: unsupported sample precision " + precision
                    + " for a DCT-based transfer syntax");
        };
    }

    /** Sample precision of the first SOFn segment, or -1 when there is none before SOS/EOI. */
    static int framePrecision(byte[] b) {
        int[] h = frameHeader(b);
        return h == null ? -1 : h[0];
    }

    /** {precision, rows, columns, components, SOF marker} of the first SOFn segment, or null. */
    static int[] frameHeader(byte[] b) {
        int pos = 2;
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null;
        }
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int m = b[pos + 1] & 0xFF;
            if (m == 0xFF || m == 0 || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
                pos += m == 0xFF ? 1 : 2;
                continue;
            }
            if (m == 0xDA || m == 0xD9) {
                return null;
            }
            int len = CodecSupport.u16(b, pos + 2);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                if (pos + 10 > b.length) {
                    return null;
                }
                return new int[] {b[pos + 4] & 0xFF, CodecSupport.u16(b, pos + 5), CodecSupport.u16(b, pos + 7),
                    b[pos + 9] & 0xFF, m};
            }
            pos += 2 + len;
        }
        return null;
    }
}
