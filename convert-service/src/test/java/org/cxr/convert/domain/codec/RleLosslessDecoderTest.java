package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.junit.jupiter.api.Test;

class RleLosslessDecoderTest {
    private final RleLosslessDecoder decoder = new RleLosslessDecoder();

    private static int[] image(int n, int bits, boolean smooth, long seed) {
        Random r = new Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = smooth && i % 7 != 0 ? (i / 13) & ((1 << bits) - 1) : r.nextInt(1 << bits);
        }
        return v;
    }

    @Test
    void roundTrips16BitGrayscale() throws Exception {
        ImageDescriptor d = new ImageDescriptor(37, 53, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        int[] v = image(37 * 53, 12, true, 1);
        assertThat(decoder.decode(TestEncoders.rle(v, 37 * 53, 1, 2), d).samples()).isEqualTo(v);
    }

    @Test
    void roundTrips8BitRgbAsInterleavedSamples() throws Exception {
        ImageDescriptor d = new ImageDescriptor(20, 31, 3, 8, 8, 7, false, "RGB", 1, 1);
        int[] v = image(20 * 31 * 3, 8, true, 2);
        assertThat(decoder.decode(TestEncoders.rle(v, 20 * 31, 3, 1), d).samples()).isEqualTo(v);
    }

    @Test
    void signExtendsSignedSamples() throws Exception {
        ImageDescriptor d = new ImageDescriptor(9, 11, 1, 16, 16, 15, true, "MONOCHROME2", 0, 1);
        int[] v = image(99, 16, false, 3);
        int[] expected = Arrays.stream(v).map(x -> (short) x).toArray();
        assertThat(decoder.decode(TestEncoders.rle(v, 99, 1, 2), d).samples()).isEqualTo(expected);
    }

    @Test
    void roundTrips32BitSamples() throws Exception {
        ImageDescriptor d = new ImageDescriptor(5, 6, 1, 32, 32, 31, false, "MONOCHROME2", 0, 1);
        int[] v = new Random(4).ints(30).toArray();
        assertThat(decoder.decode(TestEncoders.rle(v, 30, 1, 4), d).samples()).isEqualTo(v);
    }

    @Test
    void rejectsTruncatedSegment() {
        ImageDescriptor d = new ImageDescriptor(37, 53, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        byte[] full = TestEncoders.rle(image(37 * 53, 12, false, 5), 37 * 53, 1, 2);
        byte[] cut = Arrays.copyOf(full, full.length - 40);
        assertThatThrownBy(() -> decoder.decode(cut, d)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsSegmentCountThatDoesNotFitTheDescriptor() {
        ImageDescriptor d = new ImageDescriptor(4, 4, 1, 16, 16, 15, false, "MONOCHROME2", 0, 1);
        byte[] eightBit = TestEncoders.rle(new int[16], 16, 1, 1);
        assertThatThrownBy(() -> decoder.decode(eightBit, d)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("segments");
    }
}
