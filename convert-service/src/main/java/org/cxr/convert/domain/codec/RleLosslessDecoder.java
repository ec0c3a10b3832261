package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * DICOM RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G: a 64-byte header with up to 15 segment
 * offsets, one PackBits segment per byte plane (most significant byte first, sample by sample).
 * Supports BitsAllocated 8, 16 and 32 with 1 or 3 samples per pixel; colour output is interleaved
 * (RGBRGB...) whatever PlanarConfiguration says, as pydicom returns it. Our own code; stateless
 * and thread-safe.
 */
public final class RleLosslessDecoder extends GuardedDecoder {
    private static final String CODEC = "RLE Lossless";

    public RleLosslessDecoder() {
        super(CODEC);
    }

    @Override
    Samples decodeSamples(byte[] src, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        int bytesPerSample = switch (d.bitsAllocated()) {
            case 8 -> 1;
            case 16 -> 2;
            case 32 -> 4;
            default -> throw new PixelDecodeException(CODEC + ": unsupported BitsAllocated " + d.bitsAllocated());
        };
        if (src.length < 64) {
            throw new PixelDecodeException(CODEC + ": frame of " + src.length + " bytes is shorter than the 64-byte header");
        }
        int spp = d.samplesPerPixel();
        int expectedSegments = spp * bytesPerSample;
        long segments = le32(src, 0);
        if (segments != expectedSegments) {
            throw new PixelDecodeException(CODEC + ": header declares " + segments + " segments, expected "
                    + expectedSegments + " for " + spp + " sample(s) of " + d.bitsAllocated() + " bits");
        }
        int pixels = d.rows() * d.columns();
        int[] out = buffers.take(total); // the planes are OR-ed in: needs zeros
        byte[] plane = new byte[pixels];
        for (int s = 0; s < expectedSegments; s++) {
            long start = le32(src, 4 + 4 * s);
            long end = s + 1 < expectedSegments ? le32(src, 8 + 4 * s) : src.length;
            if (start < 64 || start > src.length || end < start || end > src.length) {
                throw new PixelDecodeException(CODEC + ": segment " + (s + 1) + " offsets " + start + ".." + end
                        + " lie outside the " + src.length + "-byte frame");
            }
            int produced = unpackBits(src, (int) start, (int) end, plane);
            if (produced < pixels) {
                throw new PixelDecodeException(CODEC + ": segment " + (s + 1) + " decodes to " + produced
                        + " bytes, expected " + pixels + " (truncated data)");
            }
            int sample = s / bytesPerSample;
            int shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
            if (spp == 1) {
                for (int i = 0; i < pixels; i++) {
                    out[i] |= (plane[i] & 0xFF) << shift;
                }
            } else {
                for (int i = 0, o = sample; i < pixels; i++, o += spp) {
                    out[o] |= (plane[i] & 0xFF) << shift;
                }
            }
        }
        return new Samples(out, 8 * bytesPerSample);
    }

    /** PackBits: returns the number of bytes written into dst (at most dst.length). */
    static int unpackBits(byte[] src, int pos, int end, byte[] dst) {
        int o = 0;
        int n = dst.length;
        while (pos < end && o < n) {
            int h = src[pos++];
            if (h >= 0) {
                int count = Math.min(h + 1, Math.min(end - pos, n - o));
                System.arraycopy(src, pos, dst, o, count);
                pos += h + 1;
                o += count;
            } else if (h != -128) {
                if (pos >= end) {
                    break;
                }
                int count = Math.min(1 - h, n - o);
                byte v = src[pos++];
                for (int i = 0; i < count; i++) {
                    dst[o + i] = v;
                }
                o += count;
            }
        }
        return o;
    }

    private static long le32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
