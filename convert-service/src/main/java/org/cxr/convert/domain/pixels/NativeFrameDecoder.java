package org.cxr.convert.domain.pixels;

/**
 * Native (uncompressed) pixel data: Implicit/Explicit VR Little Endian, Deflated (inflated by the
 * reader) and Explicit VR Big Endian. 8-, 16- and 32-bit allocated samples; values are masked to
 * BitsStored and sign-extended when PixelRepresentation is 1. (pydicom 2.3's pixel_array does not
 * mask; for the real files, whose unused high bits are zero or a sign extension, the values are
 * the same.) Colour frames are returned interleaved whatever the PlanarConfiguration.
 * Stateless and thread-safe.
 */
public final class NativeFrameDecoder implements FrameDecoder {
    private final boolean bigEndian;

    public NativeFrameDecoder(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    /** Bytes of one native frame, or -1 when BitsAllocated is not 8, 16 or 32. */
    public static long frameBytes(ImageDescriptor d) {
        int ba = d.bitsAllocated();
        if (ba != 8 && ba != 16 && ba != 32) {
            return -1;
        }
        return (long) d.rows() * d.columns() * d.samplesPerPixel() * (ba / 8);
    }

    @Override
    public DecodedFrame decode(byte[] frame, ImageDescriptor d) throws PixelDecodeException {
        return decodeUnmasked(frame, d, SampleBuffers.NONE); // masked anyway
    }

    @Override
    public DecodedFrame decodeUnmasked(byte[] frame, ImageDescriptor d, SampleBuffers buffers)
            throws PixelDecodeException {
        int ba = d.bitsAllocated();
        int bs = d.bitsStored();
        long need = frameBytes(d);
        if (need < 0) {
            throw new PixelDecodeException("native pixel data with BitsAllocated " + ba + " is not supported (8, 16 or 32)");
        }
        if (bs < 1 || bs > ba) {
            throw new PixelDecodeException("BitsStored " + bs + " does not fit BitsAllocated " + ba);
        }
        if (frame.length < need) {
            throw new PixelDecodeException("pixel data has " + frame.length + " bytes, a frame needs " + need);
        }
        int n = (int) (need / (ba / 8));
        int[] s = buffers.take(n);
        int spp = d.samplesPerPixel();
        boolean planar = spp > 1 && d.planarConfiguration() == 1;
        int pixels = n / spp;
        int shift = 32 - bs;
        int mask = bs == 32 ? -1 : (1 << bs) - 1;
        boolean signed = d.signed();
        if (ba == 16 && spp == 1) { // the common case (CR/DX), in a tight loop
            int hi = bigEndian ? 0 : 1;
            int lo = 1 - hi;
            for (int i = 0, p = 0; i < n; i++, p += 2) {
                int v = (frame[p + hi] & 0xFF) << 8 | frame[p + lo] & 0xFF;
                s[i] = signed ? (v << shift) >> shift : v & mask;
            }
            return new DecodedFrame(d.rows(), d.columns(), spp, s);
        }
        for (int i = 0; i < n; i++) {
            int v;
            switch (ba) {
                case 8 -> v = frame[i] & 0xFF;
                case 16 -> {
                    int a = frame[2 * i] & 0xFF;
                    int b = frame[2 * i + 1] & 0xFF;
                    v = bigEndian ? a << 8 | b : b << 8 | a;
                }
                default -> {
                    int p = 4 * i;
                    v = bigEndian
                            ? (frame[p] & 0xFF) << 24 | (frame[p + 1] & 0xFF) << 16 | (frame[p + 2] & 0xFF) << 8 | frame[p + 3] & 0xFF
                            : (frame[p + 3] & 0xFF) << 24 | (frame[p + 2] & 0xFF) << 16 | (frame[p + 1] & 0xFF) << 8 | frame[p] & 0xFF;
                }
            }
            v = signed ? (v << shift) >> shift : v & mask;
            // planar (RRR..GGG..BBB..) to interleaved (RGBRGB..)
            int dst = planar ? (i % pixels) * spp + i / pixels : i;
            s[dst] = v;
        }
        return new DecodedFrame(d.rows(), d.columns(), spp, s);
    }
}
