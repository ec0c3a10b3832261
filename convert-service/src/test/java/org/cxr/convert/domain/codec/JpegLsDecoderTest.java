package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;
import org.junit.jupiter.api.Test;

class JpegLsDecoderTest {
    private final JpegLsDecoder decoder = new JpegLsDecoder();
    private static final ImageDescriptor GRAY_4X4 = new ImageDescriptor(4, 4, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);

    /**
     * A 4x4 8-bit image of zeros, coded by hand (T.87 A.7): every line is one run. Run lengths
     * 1,1,1,1 (RUNindex 0..3, J=0), then 2,2 (J=1), 2,2 (J=1), then 4 (J=2): nine '1' bits.
     * The first byte is 0xFF, so the next byte carries a stuffed 0 bit: 0x40 = 0|1|000000.
     */
    static byte[] zeros4x4(int near) {
        return new byte[] {
            (byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) 0xF7, 0, 11, 8, 0, 4, 0, 4, 1, 1, 0x11, 0,
            (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, (byte) near, 0, 0,
            (byte) 0xFF, 0x40,
            (byte) 0xFF, (byte) 0xD9};
    }

    @Test
    void decodesHandMadeRunModeStreamWithBitStuffing() throws Exception {
        assertThat(decoder.decode(zeros4x4(0), GRAY_4X4).samples()).containsOnly(0).hasSize(16);
        assertThat(decoder.decode(zeros4x4(2), GRAY_4X4).samples()).containsOnly(0).hasSize(16);
    }

    /** The CLI's lanes pass arrays back (SampleBuffers): a decode fills the recycled one. */
    @Test
    void decodesIntoARecycledArray() throws Exception {
        SampleBuffers buffers = new SampleBuffers(1);
        int[] used = new int[16];
        java.util.Arrays.fill(used, 77);
        buffers.recycle(used);
        assertThat(decoder.decodeUnmasked(zeros4x4(0), GRAY_4X4, buffers).samples()).isSameAs(used).containsOnly(0);
    }

    @Test
    void rejectsGeometryThatDisagreesWithTheHeader() {
        ImageDescriptor d = new ImageDescriptor(4, 5, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);
        assertThatThrownBy(() -> decoder.decode(zeros4x4(0), d)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("4x4").hasMessageContaining("4x5");
    }

    @Test
    void rejectsTruncatedScan() {
        byte[] s = zeros4x4(0);
        byte[] cut = java.util.Arrays.copyOf(s, s.length - 3); // ends at the 0xFF data byte
        assertThatThrownBy(() -> decoder.decode(cut, GRAY_4X4)).isInstanceOf(PixelDecodeException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void defaultThresholdsFollowT87() {
        // T.87 C.2.4.1.1.1: 8-bit lossless 3/7/21, 16-bit lossless 18/67/276, 12-bit NEAR=2 24/77/290
        assertThat(JpegLsDecoder.ScanDecoder.defaultThresholds(255, 0)).containsExactly(3, 7, 21);
        assertThat(JpegLsDecoder.ScanDecoder.defaultThresholds(65535, 0)).containsExactly(18, 67, 276);
        assertThat(JpegLsDecoder.ScanDecoder.defaultThresholds(4095, 2)).containsExactly(24, 77, 290);
    }
}
