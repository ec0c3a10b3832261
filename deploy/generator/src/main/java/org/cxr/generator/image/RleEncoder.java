package org.cxr.generator.image;

import java.io.ByteArrayOutputStream;

/**
 * RLE Lossless encoding of one frame (DICOM PS3.5 Annex G): the frame is split into byte planes
 * ("segments"), most significant byte first; each segment is PackBits-compressed row by row (a run
 * never crosses a row) and padded to an even length; a 64-byte header holds the segment count and
 * the offsets of up to 15 segments.
 */
public final class RleEncoder {
    private static final int HEADER = 64;
    private static final int MAX_RUN = 128;

    private RleEncoder() {
    }

    /**
     * Encodes native little-endian pixel data of one single-sample frame.
     *
     * @param pixels         {@code rows * columns * bytesPerSample} bytes, little endian
     * @param bytesPerSample 1 or 2
     */
    public static byte[] encode(byte[] pixels, int rows, int columns, int bytesPerSample) {
        if (bytesPerSample < 1 || bytesPerSample > 15) {
            throw new IllegalArgumentException("bytes per sample " + bytesPerSample);
        }
        if ((long) rows * columns * bytesPerSample != pixels.length) {
            throw new IllegalArgumentException("pixel data is " + pixels.length + " bytes, expected "
                    + (long) rows * columns * bytesPerSample);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 2 + HEADER);
        out.write(new byte[HEADER], 0, HEADER);
        int[] offsets = new int[bytesPerSample];
        byte[] row = new byte[columns];
        byte[] packed = new byte[columns + columns / MAX_RUN + 2];
        for (int s = 0; s < bytesPerSample; s++) {
            offsets[s] = out.size();
            int plane = bytesPerSample - 1 - s; // segment 1 = most significant byte
            for (int y = 0; y < rows; y++) {
                int src = y * columns * bytesPerSample + plane;
                for (int x = 0; x < columns; x++, src += bytesPerSample) {
                    row[x] = pixels[src];
                }
                int n = packBits(row, columns, packed);
                out.write(packed, 0, n);
            }
            if ((out.size() & 1) == 1) {
                out.write(0);
            }
        }
        byte[] frame = out.toByteArray();
        putU32(frame, 0, bytesPerSample);
        for (int s = 0; s < bytesPerSample; s++) {
            putU32(frame, 4 + 4 * s, offsets[s]);
        }
        return frame;
    }

    /**
     * PackBits: a header byte n in 0..127 is followed by n+1 literal bytes; n in -127..-1 means the
     * next byte repeated 1-n times. Runs of two equal bytes inside literals stay literal (a 2-byte
     * replicate run saves nothing and breaks the literal).
     */
    static int packBits(byte[] in, int length, byte[] out) {
        int o = 0;
        int i = 0;
        while (i < length) {
            int run = 1;
            while (i + run < length && run < MAX_RUN && in[i + run] == in[i]) {
                run++;
            }
            if (run >= 3 || run == 2 && i + run == length) {
                out[o++] = (byte) (1 - run);
                out[o++] = in[i];
                i += run;
                continue;
            }
            int start = i;
            int literal = 0;
            while (i < length && literal < MAX_RUN) {
                if (i + 2 < length && in[i] == in[i + 1] && in[i] == in[i + 2]) {
                    break; // a run of three or more starts here
                }
                i++;
                literal++;
            }
            out[o++] = (byte) (literal - 1);
            System.arraycopy(in, start, out, o, literal);
            o += literal;
        }
        return o;
    }

    private static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
