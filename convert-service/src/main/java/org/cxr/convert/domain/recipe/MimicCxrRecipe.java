package org.cxr.convert.domain.recipe;

import java.util.Arrays;

import org.cxr.convert.domain.pixels.DecodedFrame;

/**
 * The published MIMIC-CXR-JPG conversion (dataset-contract §1), up to but excluding the JPEG
 * encoding, with the reference implementation's arithmetic so that the result is identical to
 * pydicom + numpy + OpenCV pixel for pixel:
 * <ol>
 * <li>stored values, no LUTs;</li>
 * <li>{@code x = trunc((x - min) / peak * 255)} with {@code peak = max - min}, in IEEE double as
 *     numpy's float64 ({@code (img - min) / peak * 255}, then {@code astype(uint8)}); a constant
 *     image (peak 0) stays all zeros and is flagged;</li>
 * <li>MONOCHROME1: {@code 255 - x} after the rescale;</li>
 * <li>OpenCV {@code equalizeHist}: lut from the cumulative histogram, {@code scale = 255f/(N -
 *     hist[i0])} in float, each entry {@code cvRound(float(cdf - hist[i0]) * scale)} (round half
 *     to even), clamped to 0..255; all pixels on one level: unchanged.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class MimicCxrRecipe {
    /** Rescale with a lookup table when the value range is at most this (else per pixel). */
    private static final long LUT_LIMIT = 1 << 22;
    /** Up to this BitsStored, {@link #apply} counts the stored values in one table (2^16 counters at most). */
    private static final int COUNTED_BITS = 16;

    private MimicCxrRecipe() {
    }

    /** The 8-bit image, and whether the input was constant. */
    public record Rescaled(EightBitImage image, boolean constant) {
    }

    /**
     * Steps 2-4 on the samples of one grayscale frame: the same image as {@code equalizeHist(rescale(...))}
     * of their stored values, in two passes over the samples. Each sample is read as a stored value
     * (its low {@code bitsStored} bits, sign-extended when {@code signed}), so the bits above BitsStored
     * may still be set (a decoder may leave the mask to this step: {@code FrameDecoder.decodeUnmasked});
     * above 16 bits stored, the samples are first masked in place ({@link DecodedFrame#storedValues}),
     * so the caller's array then holds the stored values.
     * The first pass counts each stored value; min, max and the 8-bit histogram follow from the
     * counts, and the rescale and equalisation tables are composed into one, which the second pass
     * applies.
     */
    public static Rescaled apply(int rows, int columns, int[] samples, int bitsStored, boolean signed,
                                 boolean monochrome1) {
        if (bitsStored > COUNTED_BITS) {
            if (bitsStored < 32) {
                DecodedFrame.storedValues(samples, bitsStored, signed);
            }
            Rescaled r = rescale(rows, columns, samples, !signed && bitsStored == 32, monochrome1);
            return new Rescaled(equalizeHist(r.image()), r.constant());
        }
        // index = stored value + offset = the low bitsStored bits, the sign bit flipped when signed
        int mask = (1 << bitsStored) - 1;
        int flip = signed ? 1 << (bitsStored - 1) : 0;
        int[] counts = count(samples, mask, flip);
        int lo = 0;
        while (counts[lo] == 0) {
            lo++;
        }
        int hi = counts.length - 1;
        while (counts[hi] == 0) {
            hi--;
        }
        byte[] out = new byte[samples.length];
        if (lo == hi) {
            return constant(rows, columns, out, monochrome1);
        }
        int peak = hi - lo;
        byte[] lut = rescaleTable(peak, monochrome1);
        int[] hist = new int[256];
        for (int d = 0; d <= peak; d++) {
            hist[lut[d] & 0xFF] += counts[lo + d];
        }
        byte[] equalise = equalisationTable(hist, samples.length);
        if (equalise != null) {
            for (int d = 0; d <= peak; d++) {
                lut[d] = equalise[lut[d] & 0xFF];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = lut[((samples[i] & mask) ^ flip) - lo];
        }
        return new Rescaled(new EightBitImage(rows, columns, out), false);
    }

    /** How often each stored value occurs; index = (sample &amp; mask) ^ flip. */
    private static int[] count(int[] samples, int mask, int flip) {
        // four tables: a run of equal values does not wait on one counter
        int size = mask + 1;
        int[] c0 = new int[size];
        int[] c1 = new int[size];
        int[] c2 = new int[size];
        int[] c3 = new int[size];
        int n = samples.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            c0[(samples[i] & mask) ^ flip]++;
            c1[(samples[i + 1] & mask) ^ flip]++;
            c2[(samples[i + 2] & mask) ^ flip]++;
            c3[(samples[i + 3] & mask) ^ flip]++;
        }
        for (; i < n; i++) {
            c0[(samples[i] & mask) ^ flip]++;
        }
        for (int v = 0; v < size; v++) {
            c0[v] += c1[v] + c2[v] + c3[v];
        }
        return c0;
    }

    /**
     * Steps 2-3. {@code samples} are stored values of one grayscale frame; {@code unsigned32}: read
     * them as unsigned 32-bit (BitsStored 32, PixelRepresentation 0).
     */
    public static Rescaled rescale(int rows, int columns, int[] samples, boolean unsigned32, boolean monochrome1) {
        int n = samples.length;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        if (unsigned32) {
            for (int s : samples) {
                long v = s & 0xFFFFFFFFL;
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        } else {
            int mn = Integer.MAX_VALUE;
            int mx = Integer.MIN_VALUE;
            for (int s : samples) {
                if (s < mn) {
                    mn = s;
                }
                if (s > mx) {
                    mx = s;
                }
            }
            min = mn;
            max = mx;
        }
        byte[] out = new byte[n];
        long peakL = n == 0 ? 0 : max - min;
        if (peakL == 0) {
            return constant(rows, columns, out, monochrome1);
        }
        if (peakL < LUT_LIMIT && !unsigned32) {
            byte[] lut = rescaleTable((int) peakL, monochrome1);
            int m = (int) min;
            for (int i = 0; i < n; i++) {
                out[i] = lut[samples[i] - m];
            }
        } else {
            double peak = (double) peakL;
            int invert = monochrome1 ? 0xFF : 0;
            for (int i = 0; i < n; i++) {
                long v = unsigned32 ? samples[i] & 0xFFFFFFFFL : samples[i];
                out[i] = (byte) ((int) ((double) (v - min) / peak * 255.0) ^ invert);
            }
        }
        return new Rescaled(new EightBitImage(rows, columns, out), false);
    }

    /** A constant image: all zeros, 255 after the MONOCHROME1 inversion (equalisation leaves it so). */
    private static Rescaled constant(int rows, int columns, byte[] out, boolean monochrome1) {
        if (monochrome1) {
            Arrays.fill(out, (byte) 0xFF);
        }
        return new Rescaled(new EightBitImage(rows, columns, out), true);
    }

    /** {@code trunc(d / peak * 255)} in IEEE double for d = x - min in 0..peak, inverted for MONOCHROME1. */
    private static byte[] rescaleTable(int peak, boolean monochrome1) {
        int invert = monochrome1 ? 0xFF : 0;
        double p = peak;
        byte[] lut = new byte[peak + 1];
        for (int d = 0; d <= peak; d++) {
            lut[d] = (byte) ((int) ((double) d / p * 255.0) ^ invert);
        }
        return lut;
    }

    /** Step 4: OpenCV's equalizeHist, on a copy. */
    public static EightBitImage equalizeHist(EightBitImage in) {
        byte[] src = in.pixels();
        int[] hist = new int[256];
        for (byte b : src) {
            hist[b & 0xFF]++;
        }
        byte[] lut = equalisationTable(hist, src.length);
        if (lut == null) {
            return new EightBitImage(in.rows(), in.columns(), src.clone());
        }
        byte[] dst = new byte[src.length];
        for (int k = 0; k < dst.length; k++) {
            dst[k] = lut[src[k] & 0xFF];
        }
        return new EightBitImage(in.rows(), in.columns(), dst);
    }

    /** equalizeHist's table for a histogram of {@code total} pixels; null when they all sit on one level. */
    private static byte[] equalisationTable(int[] hist, int total) {
        int i = 0;
        while (i < 256 && hist[i] == 0) {
            i++;
        }
        if (i == 256 || hist[i] == total) {
            return null;
        }
        float scale = 255.0f / (total - hist[i]);
        byte[] lut = new byte[256];
        int sum = 0;
        for (i++; i < 256; i++) {
            sum += hist[i];
            int v = (int) Math.rint(sum * scale);
            lut[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return lut;
    }
}
