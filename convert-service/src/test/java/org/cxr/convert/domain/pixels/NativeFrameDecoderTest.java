package org.cxr.convert.domain.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeFrameDecoderTest {
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
}
