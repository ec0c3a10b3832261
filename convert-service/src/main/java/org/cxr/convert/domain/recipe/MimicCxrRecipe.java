package org.cxr.convert.domain.recipe;

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

    private MimicCxrRecipe() {
    }

    /** The 8-bit image before equalisation, and whether the input was constant. */
    public record Rescaled(EightBitImage image, boolean constant) {
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
        boolean constant = peakL == 0;
        int invert = monochrome1 ? 0xFF : 0;
        if (constant) {
            if (monochrome1) {
                java.util.Arrays.fill(out, (byte) 0xFF);
            }
            return new Rescaled(new EightBitImage(rows, columns, out), true);
        }
        double peak = (double) peakL;
        if (peakL < LUT_LIMIT && !unsigned32) {
            byte[] lut = new byte[(int) peakL + 1];
            for (int d = 0; d <= peakL; d++) {
                lut[d] = (byte) ((int) ((double) d / peak * 255.0) ^ invert);
            }
            int m = (int) min;
            for (int i = 0; i < n; i++) {
                out[i] = lut[samples[i] - m];
            }
        } else {
            for (int i = 0; i < n; i++) {
                long v = unsigned32 ? samples[i] & 0xFFFFFFFFL : samples[i];
                out[i] = (byte) ((int) ((double) (v - min) / peak * 255.0) ^ invert);
            }
        }
        return new Rescaled(new EightBitImage(rows, columns, out), false);
    }

    /** Step 4: OpenCV's equalizeHist, in place on a copy. */
    public static EightBitImage equalizeHist(EightBitImage in) {
        byte[] src = in.pixels();
        int total = src.length;
        int[] hist = new int[256];
        for (byte b : src) {
            hist[b & 0xFF]++;
        }
        int i = 0;
        while (i < 256 && hist[i] == 0) {
            i++;
        }
        if (i == 256 || hist[i] == total) {
            return new EightBitImage(in.rows(), in.columns(), src.clone());
        }
        float scale = 255.0f / (total - hist[i]);
        byte[] lut = new byte[256];
        int sum = 0;
        lut[i] = 0;
        for (i++; i < 256; i++) {
            sum += hist[i];
            float f = sum * scale;
            int v = (int) Math.rint(f);
            lut[i] = (byte) Math.max(0, Math.min(255, v));
        }
        byte[] dst = new byte[total];
        for (int k = 0; k < total; k++) {
            dst[k] = lut[src[k] & 0xFF];
        }
        return new EightBitImage(in.rows(), in.columns(), dst);
    }
}
