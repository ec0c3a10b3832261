package org.cxr.generator.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

public class RleEncoderTest {
    /** An independent decoder written from PS3.5 Annex G, used by the tests to check encoded frames. */
    public static byte[] decode(byte[] frame, int rows, int columns, int bytesPerSample) {
        int segments = u32(frame, 0);
        assertThat(segments).isEqualTo(bytesPerSample);
        byte[] out = new byte[rows * columns * bytesPerSample];
        for (int s = 0; s < segments; s++) {
            int start = u32(frame, 4 + 4 * s);
            int end = s + 1 < segments ? u32(frame, 8 + 4 * s) : frame.length;
            assertThat((end - start) % 2).as("segment %d has even length", s).isZero();
            ByteArrayOutputStream plane = new ByteArrayOutputStream();
            for (int i = start; i < end && plane.size() < rows * columns; ) {
                int n = frame[i++];
                if (n >= 0) {
                    plane.write(frame, i, n + 1);
                    i += n + 1;
                } else if (n != -128) {
                    for (int k = 0; k < 1 - n; k++) {
                        plane.write(frame[i]);
                    }
                    i++;
                }
            }
            byte[] p = plane.toByteArray();
            assertThat(p).hasSize(rows * columns);
            int shift = bytesPerSample - 1 - s; // segment 0 holds the most significant byte
            for (int k = 0; k < p.length; k++) {
                out[k * bytesPerSample + shift] = p[k];
            }
        }
        return out;
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    @Test
    void roundTripsRunsLiteralsAndRowEdges() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] shapes = {{1, 1}, {1, 2}, {3, 129}, {7, 300}, {16, 257}};
        for (int[] shape : shapes) {
            for (int bytes = 1; bytes <= 2; bytes++) {
                byte[] px = new byte[shape[0] * shape[1] * bytes];
                for (int i = 0; i < px.length; ) {
                    // mixes of long runs (> 128), pairs and noise
                    int kind = r.nextInt(3);
                    int len = kind == 0 ? 1 + r.nextInt(300) : kind == 1 ? 2 : 1 + r.nextInt(5);
                    byte v = (byte) r.nextInt(256);
                    for (int k = 0; k < len && i < px.length; k++) {
                        px[i++] = kind == 2 ? (byte) r.nextInt(256) : v;
                    }
                }
                byte[] frame = RleEncoder.encode(px, shape[0], shape[1], bytes);
                assertThat(decode(frame, shape[0], shape[1], bytes)).isEqualTo(px);
            }
        }
    }

    @Test
    void aRunNeverCrossesARowAndUniformRowsCompress() {
        int rows = 4;
        int columns = 1000;
        byte[] px = new byte[rows * columns]; // all zero: one run per 128 bytes per row
        byte[] frame = RleEncoder.encode(px, rows, columns, 1);
        int perRow = (columns + 127) / 128 * 2;
        assertThat(frame.length - 64).isEqualTo(rows * perRow);
        assertThat(decode(frame, rows, columns, 1)).isEqualTo(px);
    }
}
