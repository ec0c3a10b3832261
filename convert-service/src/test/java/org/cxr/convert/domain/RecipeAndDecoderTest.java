package org.cxr.convert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cxr.convert.domain.metadata.MetadataFormat;
import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.NativeFrameDecoder;
import org.cxr.convert.domain.recipe.EightBitImage;
import org.cxr.convert.domain.recipe.MimicCxrRecipe;
import org.junit.jupiter.api.Test;

class RecipeAndDecoderTest {
    private static ImageDescriptor desc(int rows, int cols, int ba, int bs, boolean signed) {
        return new ImageDescriptor(rows, cols, 1, ba, bs, bs - 1, signed, "MONOCHROME2", 0, 1);
    }

    @Test
    void nativeDecoderMasksAndSignExtends() throws Exception {
        // 12 bits stored in 16: high bits (e.g. overlay bits) are dropped; signed values extended
        byte[] le = {(byte) 0xFF, (byte) 0xF7, 0x01, 0x10, (byte) 0x00, 0x08};  // 0xF7FF, 0x1001, 0x0800
        DecodedFrame u = new NativeFrameDecoder(false).decode(le, desc(1, 3, 16, 12, false));
        assertThat(u.samples()).containsExactly(0x7FF, 0x001, 0x800);
        DecodedFrame s = new NativeFrameDecoder(false).decode(le, desc(1, 3, 16, 12, true));
        assertThat(s.samples()).containsExactly(2047, 1, -2048);
        byte[] be = {(byte) 0xF7, (byte) 0xFF, 0x10, 0x01, 0x08, 0x00};
        assertThat(new NativeFrameDecoder(true).decode(be, desc(1, 3, 16, 12, true)).samples())
                .containsExactly(2047, 1, -2048);
        byte[] eight = {(byte) 0xFF, 0x7F};
        assertThat(new NativeFrameDecoder(false).decode(eight, desc(1, 2, 8, 8, true)).samples()).containsExactly(-1, 127);
        assertThat(new NativeFrameDecoder(false).decode(eight, desc(1, 2, 8, 7, false)).samples()).containsExactly(127, 127);
        byte[] thirtyTwo = {1, 0, 0, (byte) 0x80};
        assertThat(new NativeFrameDecoder(false).decode(thirtyTwo, desc(1, 1, 32, 32, true)).samples())
                .containsExactly(0x80000001);
        // planar RGB to interleaved
        ImageDescriptor rgb = new ImageDescriptor(1, 2, 3, 8, 8, 7, false, "RGB", 1, 1);
        assertThat(new NativeFrameDecoder(false).decode(new byte[]{1, 2, 3, 4, 5, 6}, rgb).samples())
                .containsExactly(1, 3, 5, 2, 4, 6);
    }

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

    @Test
    void metadataFormats() {
        assertThat(MetadataFormat.studyDate("21800506")).isEqualTo("21800506");
        assertThat(MetadataFormat.studyDate("2180.05.06")).isEqualTo("21800506");
        assertThat(MetadataFormat.studyDate("")).isEqualTo("");
        assertThat(MetadataFormat.studyDate(null)).isEqualTo("");
        assertThat(MetadataFormat.studyDate("unknown")).isEqualTo("");
        assertThat(MetadataFormat.studyTime("080556")).isEqualTo("80556.0");
        assertThat(MetadataFormat.studyTime("080556.875")).isEqualTo("80556.875");
        assertThat(MetadataFormat.studyTime("213014.531")).isEqualTo("213014.531");
        assertThat(MetadataFormat.studyTime("213014.531000")).isEqualTo("213014.531");
        assertThat(MetadataFormat.studyTime("000000")).isEqualTo("0.0");
        assertThat(MetadataFormat.studyTime("0805")).isEqualTo("805.0");
        assertThat(MetadataFormat.studyTime("08:05:56")).isEqualTo("80556.0");
        assertThat(MetadataFormat.studyTime("123456.1")).isEqualTo("123456.1");
        assertThat(MetadataFormat.studyTime("235959.999999")).isEqualTo("235959.999999");
        assertThat(MetadataFormat.studyTime("12a")).isEqualTo("");
        assertThat(MetadataFormat.studyTime(null)).isEqualTo("");
    }

    @Test
    void dicomIdShape() {
        String id = InstanceIds.dicomIdFromUid("1.2.3");
        assertThat(id).matches("[0-9a-f]{8}(-[0-9a-f]{8}){4}");
        assertThat(InstanceIds.dicomIdFromUid("1.2.3")).isEqualTo(id);
        assertThat(DatasetLayout.imagePath(new InstanceIds(id, "10000032", "50414267"), "jpg"))
                .isEqualTo("files/p10/p10000032/s50414267/" + id + ".jpg");
        assertThat(DatasetLayout.parseMimicPath("x/files/p10/p10000032/s50414267/abc.dcm")).contains(
                new InstanceIds("abc", "10000032", "50414267"));
        assertThat(DatasetLayout.parseMimicPath("p11/p10000032/s50414267/abc.dcm")).isEmpty();
        assertThat(DatasetLayout.parseMimicPath("flat/abc.dcm")).isEmpty();
    }
}
