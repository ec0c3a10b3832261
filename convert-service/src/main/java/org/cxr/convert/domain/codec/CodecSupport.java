package org.cxr.convert.domain.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;

/** Checks and finishing steps shared by the codecs. */
final class CodecSupport {
    /**
     * Largest frame (rows x columns x samples) a decoder allocates: 2^27 samples (512 MiB of int),
     * far above any radiograph (a 4300x3500 detector is 15 M samples).
     */
    static final long MAX_SAMPLES = 1L << 27;

    private CodecSupport() {
    }

    /** Validates the descriptor's geometry and returns rows x columns x samplesPerPixel. */
    static int sampleCount(ImageDescriptor d, String codec) throws PixelDecodeException {
        if (d.rows() <= 0 || d.columns() <= 0 || d.rows() > 65535 || d.columns() > 65535) {
            throw new PixelDecodeException(codec + ": invalid image size " + d.rows() + "x" + d.columns());
        }
        if (d.samplesPerPixel() != 1 && d.samplesPerPixel() != 3) {
            throw new PixelDecodeException(codec + ": unsupported SamplesPerPixel " + d.samplesPerPixel());
        }
        if (d.bitsStored() < 1 || d.bitsStored() > 32 || d.bitsAllocated() < d.bitsStored()) {
            throw new PixelDecodeException(codec + ": invalid BitsStored " + d.bitsStored()
                    + " / BitsAllocated " + d.bitsAllocated());
        }
        long n = (long) d.rows() * d.columns() * d.samplesPerPixel();
        if (n > MAX_SAMPLES) {
            throw new PixelDecodeException(codec + ": frame of " + n + " samples exceeds the limit of "
                    + MAX_SAMPLES);
        }
        return (int) n;
    }

    /** Checks the geometry a codestream declares against the descriptor. */
    static void checkGeometry(String codec, ImageDescriptor d, int rows, int columns, int components)
            throws PixelDecodeException {
        if (rows != d.rows() || columns != d.columns()) {
            throw new PixelDecodeException(codec + ": codestream is " + rows + "x" + columns
                    + " but the DICOM header says " + d.rows() + "x" + d.columns());
        }
        if (components != d.samplesPerPixel()) {
            throw new PixelDecodeException(codec + ": codestream has " + components
                    + " component(s) but SamplesPerPixel is " + d.samplesPerPixel());
        }
    }

    /**
     * Masks every sample to BitsStored and sign-extends it when PixelRepresentation is 1, as
     * pydicom's pixel_array presents stored values, and wraps the result. Unsigned samples the codec
     * bounds to {@code valueBits} <= BitsStored are left as they are (the mask would keep every
     * value: a pass over the image saved, on the decoding thread).
     */
    static DecodedFrame finish(int[] samples, int valueBits, ImageDescriptor d) {
        int bits = d.bitsStored();
        if (bits < 32 && (d.signed() || valueBits > bits)) {
            DecodedFrame.storedValues(samples, bits, d.signed());
        }
        return new DecodedFrame(d.rows(), d.columns(), d.samplesPerPixel(), samples);
    }

    static int u16(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    }

    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    /**
     * Entropy-coded data read a word at a time: how many whole bytes from {@code pos} fit in a
     * 64-bit buffer already holding {@code bits} bits, when none of the next 8 bytes is 0xFF (only
     * a 0xFF byte, a marker or stuffing, needs the byte-by-byte path); else 0.
     */
    static int wholeBytes(byte[] b, int pos, int end, int bits) {
        if (pos + 8 > end) {
            return 0;
        }
        long x = ~(long) BIG_ENDIAN_LONG.get(b, pos); // a 0xFF byte is a zero byte of x
        return ((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) == 0 ? (64 - bits) >>> 3 : 0;
    }

    /** The MSB-aligned buffer of {@code bits} bits with the {@code bytes} bytes at {@code pos} appended. */
    static long append(long buf, int bits, byte[] b, int pos, int bytes) {
        long w = (long) BIG_ENDIAN_LONG.get(b, pos);
        return buf | (w & (-1L << (64 - 8 * bytes))) >>> bits;
    }
}
