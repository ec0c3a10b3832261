package org.cxr.convert.domain.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class MimicCxrRecipeTest {
    @Test
    void rescaleTruncatesLikeNumpy() {
        int[] v = {100, 101, 102, 1123, 612};  // peak 1023
        EightBitImage img = MimicCxrRecipe.rescale(1, 5, v, false, false).image();
        // trunc((x-min)/1023*255): only the maximum reaches 255
        assertThat(img.pixels()).containsExactly(0, 0, 0, (byte) 255, (byte) (int) (512.0 / 1023 * 255));
        assertThat((int) (1022.0 / 1023 * 255)).isEqualTo(254);
        EightBitImage inv = MimicCxrRecipe.rescale(1, 5, v, false, true).image();
        for (int i = 0; i < 5; i++) {
            assertThat(inv.pixels()[i] & 0xFF).isEqualTo(255 - (img.pixels()[i] & 0xFF));
        }
        // per-pixel path (huge range) gives the same arithmetic
        int[] wide = {Integer.MIN_VALUE, 0, Integer.MAX_VALUE};
        EightBitImage w = MimicCxrRecipe.rescale(1, 3, wide, false, false).image();
        assertThat(w.pixels()[1] & 0xFF).isEqualTo((int) ((double) (1L << 31) / ((1L << 32) - 1) * 255));
        assertThat(w.pixels()[2] & 0xFF).isEqualTo(255);
        // unsigned 32-bit
        EightBitImage u = MimicCxrRecipe.rescale(1, 2, new int[]{0, -1}, true, false).image();
        assertThat(u.pixels()).containsExactly(0, (byte) 255);
    }

    @Test
    void applyEqualsEqualizeHistOfRescale() {
        Random rnd = new Random(7);
        for (int bits : new int[]{1, 8, 10, 12, 15, 16, 17, 32}) {
            for (boolean signed : new boolean[]{false, true}) {
                for (boolean monochrome1 : new boolean[]{false, true}) {
                    int rows = 1 + rnd.nextInt(60);
                    int columns = 1 + rnd.nextInt(60);
                    int[] v = new int[rows * columns];
                    int shift = 32 - bits;
                    int span = 1 + rnd.nextInt(bits >= 31 ? Integer.MAX_VALUE : 1 << bits);
                    int base = rnd.nextInt();
                    for (int i = 0; i < v.length; i++) {
                        // stored values as the decoders give them: masked to BitsStored, sign-extended
                        int raw = base + (int) (Math.pow(rnd.nextDouble(), 3) * span);
                        v[i] = signed ? (raw << shift) >> shift : bits == 32 ? raw : raw & ((1 << bits) - 1);
                    }
                    String as = bits + " bits, signed " + signed + ", MONOCHROME1 " + monochrome1;
                    MimicCxrRecipe.Rescaled twoSteps = MimicCxrRecipe.rescale(rows, columns, v, !signed && bits == 32,
                            monochrome1);
                    MimicCxrRecipe.Rescaled applied = MimicCxrRecipe.apply(rows, columns, v, bits, signed, monochrome1);
                    assertThat(applied.image().pixels()).as(as)
                            .isEqualTo(MimicCxrRecipe.equalizeHist(twoSteps.image()).pixels());
                    assertThat(applied.constant()).as(as).isEqualTo(twoSteps.constant());
                    if (bits < 32) { // bits above BitsStored, as decodeUnmasked may leave them, change nothing
                        int[] unmasked = v.clone();
                        for (int i = 0; i < unmasked.length; i++) {
                            unmasked[i] = (unmasked[i] & ((1 << bits) - 1)) | (rnd.nextInt() << bits);
                        }
                        MimicCxrRecipe.Rescaled fromUnmasked = MimicCxrRecipe.apply(rows, columns, unmasked, bits, signed,
                                monochrome1);
                        assertThat(fromUnmasked.image().pixels()).as(as + ", unmasked").isEqualTo(applied.image().pixels());
                        assertThat(fromUnmasked.constant()).as(as + ", unmasked").isEqualTo(applied.constant());
                    }
                }
            }
        }
        int[] flat = {-3, -3, -3, -3};
        assertThat(MimicCxrRecipe.apply(2, 2, flat, 12, true, true).constant()).isTrue();
        assertThat(MimicCxrRecipe.apply(2, 2, flat, 12, true, true).image().pixels()).containsOnly((byte) 255);
    }

    @Test
    void constantImageIsDefinedAndFlagged() {
        MimicCxrRecipe.Rescaled r = MimicCxrRecipe.rescale(2, 2, new int[]{7, 7, 7, 7}, false, false);
        assertThat(r.constant()).isTrue();
        assertThat(r.image().pixels()).containsOnly(0);
        assertThat(MimicCxrRecipe.equalizeHist(r.image()).pixels()).containsOnly(0);
        MimicCxrRecipe.Rescaled m1 = MimicCxrRecipe.rescale(2, 2, new int[]{7, 7, 7, 7}, false, true);
        assertThat(m1.image().pixels()).containsOnly((byte) 255);
    }

    @Test
    void equalizeHistEqualsOpenCv() {
        Random rnd = new Random(42);
        int[][] sizes = {{1, 1}, {2, 3}, {37, 53}, {512, 480}, {1000, 1001}};
        for (int[] size : sizes) {
            for (int trial = 0; trial < 4; trial++) {
                byte[] px = new byte[size[0] * size[1]];
                int lo = rnd.nextInt(200);
                int span = 1 + rnd.nextInt(256 - lo);
                for (int i = 0; i < px.length; i++) {
                    // skewed distributions exercise the rounding of the lut
                    double g = Math.pow(rnd.nextDouble(), 1 + trial);
                    px[i] = (byte) (lo + (int) (g * span) % span);
                }
                EightBitImage in = new EightBitImage(size[0], size[1], px);
                assertThat(MimicCxrRecipe.equalizeHist(in).pixels()).as(size[0] + "x" + size[1] + " trial " + trial)
                        .isEqualTo(openCvEqualizeHist(in));
            }
        }
    }

    static byte[] openCvEqualizeHist(EightBitImage in) {
        try (BytePointer data = new BytePointer(in.pixels());
             Mat src = new Mat(in.rows(), in.columns(), opencv_core.CV_8UC1, data);
             Mat dst = new Mat()) {
            opencv_imgproc.equalizeHist(src, dst);
            byte[] out = new byte[in.pixels().length];
            dst.data().get(out);
            return out;
        }
    }
}
