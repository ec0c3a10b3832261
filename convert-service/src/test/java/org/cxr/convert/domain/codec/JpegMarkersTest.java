package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.junit.jupiter.api.Test;

class JpegMarkersTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void skipsFillBytesAndStandAloneMarkersAndGivesEachSegment() throws Exception {
        byte[] s = bytes(0xFF, 0xD8,
                0xFF, 0xFF, 0xFF, 0xE0, 0, 4, 0xAA, 0xBB,   // fill bytes, then APP0 with 2 payload bytes
                0xFF, 0xD0,                                 // RST0: stand-alone
                0xFF, 0xC3, 0, 3, 0x10,                     // SOF3 with 1 payload byte
                0xFF, 0xD9);
        JpegMarkers m = new JpegMarkers("test", s);
        assertThat(m.next("")).isEqualTo(0xE0);
        assertThat(m.segmentStart).isEqualTo(8);
        assertThat(m.segmentEnd).isEqualTo(10);
        assertThat(m.next("")).isEqualTo(0xC3);
        assertThat(s[m.segmentStart]).isEqualTo((byte) 0x10);
        assertThat(JpegMarkers.isFrameHeader(0xC3)).isTrue();
        assertThat(m.next("")).isEqualTo(JpegMarkers.EOI);
    }

    @Test
    void refusesMissingSoiSegmentsPastTheEndAndTruncation() throws Exception {
        assertThatThrownBy(() -> new JpegMarkers("test", bytes(0xFF, 0xD9, 0, 0)))
                .isInstanceOf(PixelDecodeException.class).hasMessage("test: no SOI marker at the start of the codestream");
        JpegMarkers longSegment = new JpegMarkers("test", bytes(0xFF, 0xD8, 0xFF, 0xDB, 0, 9, 1, 2));
        assertThatThrownBy(() -> longSegment.next("")).hasMessageContaining("0xFFDB of length 9 runs past the end");
        JpegMarkers noEoi = new JpegMarkers("test", bytes(0xFF, 0xD8, 0xFF, 0xE1, 0, 2, 7, 7));
        assertThat(noEoi.next("")).isEqualTo(0xE1);
        assertThatThrownBy(() -> noEoi.next("(no EOI)")).hasMessage("test: codestream truncated (no EOI)");
    }

    @Test
    void frameHeaderIsFoundBeforeTheFirstScanOnly() {
        byte[] sof = bytes(0xFF, 0xD8, 0xFF, 0xC1, 0, 11, 12, 0, 3, 0, 5, 1, 1, 0x11, 0, 0xFF, 0xD9);
        assertThat(FrameHeader.of(sof)).isEqualTo(new FrameHeader(0xC1, 12, 3, 5, 1));
        byte[] scanFirst = bytes(0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xC0, 0, 11, 8, 0, 3, 0, 5, 1, 1, 0x11, 0);
        assertThat(FrameHeader.of(scanFirst)).isNull();
        assertThat(FrameHeader.of(bytes(1, 2, 3))).isNull();
    }
}
