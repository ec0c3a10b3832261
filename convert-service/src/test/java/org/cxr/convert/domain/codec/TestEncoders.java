package org.cxr.convert.domain.codec;

import java.io.ByteArrayOutputStream;

/** Small encoders that give the decoder tests inputs they make themselves. */
final class TestEncoders {
    private TestEncoders() {
    }

    /** DICOM RLE (PS3.5 Annex G) of interleaved samples: one PackBits segment per byte plane. */
    static byte[] rle(int[] samples, int pixels, int spp, int bytesPerSample) {
        int segments = spp * bytesPerSample;
        byte[][] encoded = new byte[segments][];
        for (int s = 0; s < segments; s++) {
            int sample = s / bytesPerSample;
            int shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
            byte[] plane = new byte[pixels];
            for (int i = 0; i < pixels; i++) {
                plane[i] = (byte) (samples[i * spp + sample] >> shift);
            }
            encoded[s] = packBits(plane);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 64;
        writeLe32(out, segments);
        for (int s = 0; s < 15; s++) {
            writeLe32(out, s < segments ? offset : 0);
            if (s < segments) {
                offset += encoded[s].length;
            }
        }
        for (byte[] e : encoded) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    static byte[] packBits(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int run = 1;
            while (i + run < in.length && run < 128 && in[i + run] == in[i]) {
                run++;
            }
            if (run >= 3) {
                out.write(1 - run);
                out.write(in[i]);
                i += run;
                continue;
            }
            int start = i;
            int len = 0;
            while (i < in.length && len < 128) {
                if (i + 2 < in.length && in[i] == in[i + 1] && in[i] == in[i + 2]) {
                    break;
                }
                i++;
                len++;
            }
            out.write(len - 1);
            out.write(in, start, len);
        }
        return out.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >> 8);
        o.write(v >> 16);
        o.write(v >> 24);
    }

    /**
     * JPEG lossless process 14 (T.81 Annex H) of interleaved samples: one scan, the given
     * predictor, a Huffman table giving every category a 5-bit code, optional restart interval
     * of whole rows.
     */
    static byte[] jpegLossless(int[] samples, int w, int h, int nc, int precision, int predictor, int restartRows) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        marker(o, 0xD8);
        marker(o, 0xC3);
        u16(o, 8 + 3 * nc);
        o.write(precision);
        u16(o, h);
        u16(o, w);
        o.write(nc);
        for (int c = 0; c < nc; c++) {
            o.write(c + 1);
            o.write(0x11);
            o.write(0);
        }
        marker(o, 0xC4);
        u16(o, 2 + 1 + 16 + 17);
        o.write(0x00);
        for (int len = 1; len <= 16; len++) {
            o.write(len == 5 ? 17 : 0);
        }
        for (int v = 0; v <= 16; v++) {
            o.write(v);
        }
        if (restartRows > 0) {
            marker(o, 0xDD);
            u16(o, 4);
            u16(o, restartRows * w);
        }
        marker(o, 0xDA);
        u16(o, 6 + 2 * nc);
        o.write(nc);
        for (int c = 0; c < nc; c++) {
            o.write(c + 1);
            o.write(0x00);
        }
        o.write(predictor);
        o.write(0);
        o.write(0);
        BitWriter bw = new BitWriter(o);
        int rowLen = w * nc;
        int restarts = 0;
        int rowsSinceRestart = 0;
        for (int y = 0; y < h; y++) {
            if (restartRows > 0 && y > 0 && y % restartRows == 0) {
                bw.flush();
                marker(o, 0xD0 + (restarts++ & 7));
                rowsSinceRestart = 0;
            }
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < nc; c++) {
                    int i = y * rowLen + x * nc + c;
                    int pred;
                    if (rowsSinceRestart == 0) {
                        pred = x == 0 ? 1 << (precision - 1) : samples[i - nc];
                    } else if (x == 0) {
                        pred = samples[i - rowLen];
                    } else {
                        int ra = samples[i - nc];
                        int rb = samples[i - rowLen];
                        int rc = samples[i - rowLen - nc];
                        pred = switch (predictor) {
                            case 1 -> ra;
                            case 2 -> rb;
                            case 3 -> rc;
                            case 4 -> ra + rb - rc;
                            case 5 -> ra + ((rb - rc) >> 1);
                            case 6 -> rb + ((ra - rc) >> 1);
                            default -> (ra + rb) >> 1;
                        };
                    }
                    int d = (samples[i] - pred) & 0xFFFF;
                    if (d == 0x8000) {
                        bw.write(16, 5);
                        continue;
                    }
                    if (d > 0x8000) {
                        d -= 0x10000;
                    }
                    int mag = Math.abs(d);
                    int cat = 32 - Integer.numberOfLeadingZeros(mag);
                    bw.write(cat, 5);
                    if (cat > 0) {
                        bw.write(d >= 0 ? d : d + (1 << cat) - 1, cat);
                    }
                }
            }
            rowsSinceRestart++;
        }
        bw.flush();
        marker(o, 0xD9);
        return o.toByteArray();
    }

    static void marker(ByteArrayOutputStream o, int m) {
        o.write(0xFF);
        o.write(m);
    }

    static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >> 8);
        o.write(v);
    }

    /** MSB-first bit writer with JPEG byte stuffing (0xFF followed by 0x00), padding with ones. */
    static final class BitWriter {
        private final ByteArrayOutputStream o;
        private int acc;
        private int n;

        BitWriter(ByteArrayOutputStream o) {
            this.o = o;
        }

        void write(int value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                acc = acc << 1 | (value >> i) & 1;
                if (++n == 8) {
                    emit();
                }
            }
        }

        void flush() {
            while (n != 0) {
                acc = acc << 1 | 1;
                if (++n == 8) {
                    emit();
                }
            }
        }

        private void emit() {
            o.write(acc);
            if (acc == 0xFF) {
                o.write(0);
            }
            acc = 0;
            n = 0;
        }
    }
}
