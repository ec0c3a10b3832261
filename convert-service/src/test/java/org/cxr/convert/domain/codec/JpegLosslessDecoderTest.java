package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JpegLosslessDecoderTest {
    private final JpegLosslessDecoder decoder = new JpegLosslessDecoder();

    /** A smooth gradient with noise and a few extreme jumps (to reach the large categories). */
    static int[] image(int w, int h, int nc, int bits, long seed) {
        Random r = new Random(seed);
        int max = (1 << bits) - 1;
        int[] v = new int[w * h * nc];
        for (int i = 0; i < v.length; i++) {
            int x = (i / nc) % w;
            int y = (i / nc) / w;
            int base = (int) ((long) (x * 7 + y * 3) * max / (7L * w + 3L * h));
            v[i] = r.nextInt(50) == 0 ? (r.nextBoolean() ? 0 : max) : Math.min(max, Math.max(0, base + r.nextInt(9) - 4));
        }
        return v;
    }

    @ParameterizedTest(name = "predictor {0}, {1} bits")
    @CsvSource({"1,16", "2,16", "3,16", "4,16", "5,16", "6,16", "7,16", "1,12", "4,12", "7,12", "1,8", "6,8", "1,2"})
    void roundTripsEveryPredictor(int predictor, int bits) throws Exception {
        int w = 61;
        int h = 23;
        int[] v = image(w, h, 1, bits, predictor * 31L + bits);
        ImageDescriptor d = new ImageDescriptor(h, w, 1, bits <= 8 ? 8 : 16, bits, bits - 1, false, "MONOCHROME2", 0, 1);
        byte[] stream = TestEncoders.jpegLossless(v, w, h, 1, bits, predictor, 0);
        assertThat(decoder.decode(stream, d).samples()).isEqualTo(v);
    }

    /** Short codes decode two to a table lookup: rows of 1-4 samples end on either half of such a pair. */
    @ParameterizedTest(name = "width {0}")
    @CsvSource({"1", "2", "3", "4"})
    void decodesNarrowRows(int w) throws Exception {
        int h = 40;
        int[] v = image(w, h, 1, 8, w);
        ImageDescriptor d = new ImageDescriptor(h, w, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);
        assertThat(decoder.decode(TestEncoders.jpegLossless(v, w, h, 1, 8, 1, 0), d).samples()).isEqualTo(v);
        assertThat(decoder.decode(TestEncoders.jpegLossless(v, w, h, 1, 8, 1, 3), d).samples()).isEqualTo(v);
    }

    /** The CLI's lanes pass arrays back (SampleBuffers): a decode fills the recycled one, every sample. */
    @Test
    void decodesIntoARecycledArray() throws Exception {
        int[] v = image(61, 23, 1, 12, 8);
        ImageDescriptor d = new ImageDescriptor(23, 61, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        byte[] stream = TestEncoders.jpegLossless(v, 61, 23, 1, 12, 1, 0);
        SampleBuffers buffers = new SampleBuffers(1);
        int[] used = decoder.decodeUnmasked(stream, d, buffers).samples();
        Arrays.fill(used, -1);
        buffers.recycle(used);
        assertThat(decoder.decodeUnmasked(stream, d, buffers).samples()).isSameAs(used).isEqualTo(v);
    }

    @Test
    void handlesRestartIntervalsAndThreeComponents() throws Exception {
        int w = 17;
        int h = 12;
        int[] v = image(w, h, 3, 8, 9);
        ImageDescriptor d = new ImageDescriptor(h, w, 3, 8, 8, 7, false, "RGB", 0, 1);
        byte[] stream = TestEncoders.jpegLossless(v, w, h, 3, 8, 6, 5);
        assertThat(decoder.decode(stream, d).samples()).isEqualTo(v);
    }

    @Test
    void signExtendsWhenPixelRepresentationIsSigned() throws Exception {
        int[] v = image(8, 8, 1, 16, 3);
        ImageDescriptor d = new ImageDescriptor(8, 8, 1, 16, 16, 15, true, "MONOCHROME2", 0, 1);
        int[] expected = Arrays.stream(v).map(x -> (short) x).toArray();
        assertThat(decoder.decode(TestEncoders.jpegLossless(v, 8, 8, 1, 16, 1, 0), d).samples()).isEqualTo(expected);
    }

    @Test
    void rejectsTruncatedStream() {
        int[] v = image(64, 64, 1, 12, 4);
        ImageDescriptor d = new ImageDescriptor(64, 64, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        byte[] full = TestEncoders.jpegLossless(v, 64, 64, 1, 12, 1, 0);
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> decoder.decode(cut, d)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsGeometryThatDisagreesWithTheHeader() {
        byte[] stream = TestEncoders.jpegLossless(new int[64], 8, 8, 1, 12, 1, 0);
        ImageDescriptor d = new ImageDescriptor(8, 9, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        assertThatThrownBy(() -> decoder.decode(stream, d)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("8x8").hasMessageContaining("8x9");
    }
}
