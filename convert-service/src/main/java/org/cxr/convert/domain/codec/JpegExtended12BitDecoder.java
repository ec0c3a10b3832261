package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.codec.JpegCodestream.HuffmanTable;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * JPEG extended sequential DCT, Huffman coded, 12-bit precision (process 4, in
 * 1.2.840.10008.1.2.4.51): our own decoder, since no Java library decodes it. It reproduces IJG
 * libjpeg 6b as built for 12-bit samples inside GDCM: 8/16-bit quantization tables, libjpeg's
 * coefficient handling (16-bit JCOEF, run-past-63 clamping), the default "islow" integer IDCT
 * (jidctint.c, CONST_BITS=13, PASS1_BITS=1) and its post-IDCT range limiting, so results are
 * bit-identical to GDCM for valid streams. Also accepts 8-bit precision (PASS1_BITS=2) for
 * cross-checking. Grayscale (one component) only; Ss/Se of the scan header are ignored as
 * libjpeg does for sequential scans. Restart intervals are supported. Stateless and thread-safe.
 */
public final class JpegExtended12BitDecoder extends GuardedDecoder {
    static final String CODEC = "JPEG Extended 12-bit";

    private static final int CONST_BITS = 13;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

    /** Zig-zag order to natural order, with libjpeg's 16 extra entries for corrupt run lengths. */
    private static final int[] NATURAL = new int[64 + 16];

    static {
        System.arraycopy(JpegCodestream.ZIGZAG, 0, NATURAL, 0, 64);
        for (int i = 64; i < NATURAL.length; i++) {
            NATURAL[i] = 63;
        }
    }

    public JpegExtended12BitDecoder() {
        super(CODEC);
    }

    @Override
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        JpegCodestream js = JpegCodestream.atFirstScan(CODEC, frame);
        if (js.sofMarker != 0xC0 && js.sofMarker != 0xC1) {
            throw js.error("frame is not sequential Huffman DCT (SOF marker 0xFF" + JpegMarkers.hex(js.sofMarker) + ")");
        }
        if (js.precision != 12 && js.precision != 8) {
            throw js.error("unsupported sample precision " + js.precision);
        }
        if (js.components != 1) {
            throw js.error(js.components + "-component images are not supported (grayscale only)");
        }
        CodecSupport.checkGeometry(CODEC, d, js.height, js.width, js.components);
        HuffmanTable dc = js.dcTables[js.scanTd[0]];
        HuffmanTable ac = js.acTables[js.scanTa[0]];
        int[] qt = js.quantTables[js.compTq[0]];
        if (dc == null || ac == null) {
            throw js.error("scan uses an undefined Huffman table");
        }
        if (qt == null) {
            throw js.error("component uses undefined quantization table " + js.compTq[0]);
        }
        int w = js.width;
        int h = js.height;
        int[] out = buffers.take(total);
        int bw = (w + 7) >> 3;
        int bh = (h + 7) >> 3;
        boolean twelve = js.precision == 12;
        int pass1 = twelve ? 1 : 2;
        int center = twelve ? 2048 : 128;
        int maxSample = twelve ? 4095 : 255;
        int rangeShift = twelve ? 18 : 22; // post-IDCT values wrap at 4 * (MAXJSAMPLE + 1)
        int[] coef = new int[64];
        int[] ws = new int[64];
        int[] block = new int[64];
        int lastDc = 0;
        int restartsToGo = js.restartInterval;
        js.startEntropy();
        for (int by = 0; by < bh; by++) {
            for (int bx = 0; bx < bw; bx++) {
                if (js.restartInterval > 0) {
                    if (restartsToGo == 0) {
                        js.restart();
                        lastDc = 0;
                        restartsToGo = js.restartInterval;
                    }
                    restartsToGo--;
                }
                // Huffman decode one block (jdhuff.c decode_mcu)
                lastDc += js.decodeDifference(dc, false);
                coef[0] = (short) lastDc;
                for (int k = 1; k < 64; k++) {
                    int c = js.decodeCoefficient(ac);
                    if (c < 0) {
                        break; // EOB
                    }
                    k += c >>> 16;
                    coef[NATURAL[k]] = (short) c; // a ZRL writes a 0 where nothing was written yet
                }
                int x0 = bx << 3;
                int y0 = by << 3;
                int cols = Math.min(8, w - x0);
                int rows = Math.min(8, h - y0);
                if (cols == 8 && rows == 8) { // straight into the image
                    idct(coef, qt, ws, out, y0 * w + x0, w, pass1, center, maxSample, rangeShift);
                } else { // an edge block: its visible part
                    idct(coef, qt, ws, block, 0, 8, pass1, center, maxSample, rangeShift);
                    for (int yy = 0; yy < rows; yy++) {
                        System.arraycopy(block, yy << 3, out, (y0 + yy) * w + x0, cols);
                    }
                }
                java.util.Arrays.fill(coef, 0);
            }
            js.checkOverrun();
        }
        return new Samples(out, js.precision); // clamped to 0..MAXJSAMPLE
    }

    /**
     * jidctint.c jpeg_idct_islow (IJG 6b), dequantizing on the fly; writes the 8x8 range-limited
     * samples to {@code out} from {@code offset}, rows {@code stride} apart. {@code ws} holds the 64
     * intermediate values. Both passes share one loop (i &lt; 8: pass 1 on column i; i &ge; 8: pass 2 on
     * row i - 8) with the 1-D transform (even part, odd part) written out in it, without calls or
     * arrays: the CLI runs C1, which would not inline a method for it (20 % slower per image).
     */
    static void idct(int[] in, int[] q, int[] ws, int[] out, int offset, int stride, int pass1, int center,
                     int maxSample, int rangeShift) {
        int sh1 = CONST_BITS - pass1; // pass 1: columns, descaled by CONST_BITS - PASS1_BITS
        int rnd1 = 1 << (sh1 - 1);
        int sh2 = CONST_BITS + pass1 + 3; // pass 2: rows, descaled by CONST_BITS + PASS1_BITS + 3, range-limited
        int rnd2 = 1 << (sh2 - 1);
        for (int i = 0; i < 16; i++) {
            boolean columns = i < 8;
            int p = columns ? i : (i - 8) << 3; // the first input; then 8 (a column) or 1 (a row) apart
            int o = offset + (i - 8) * stride; // pass 2's output row
            int d0;
            int d1;
            int d2;
            int d3;
            int d4;
            int d5;
            int d6;
            int d7;
            if (columns) {
                // libjpeg tests the coefficients, not the dequantized values: equal unless a product overflows
                if ((in[p + 8] | in[p + 16] | in[p + 24] | in[p + 32] | in[p + 40] | in[p + 48] | in[p + 56]) == 0) {
                    int dc = (in[p] * q[p]) << pass1;
                    for (int r = 0; r < 64; r += 8) {
                        ws[p + r] = dc;
                    }
                    continue;
                }
                d0 = in[p] * q[p];
                d1 = in[p + 8] * q[p + 8];
                d2 = in[p + 16] * q[p + 16];
                d3 = in[p + 24] * q[p + 24];
                d4 = in[p + 32] * q[p + 32];
                d5 = in[p + 40] * q[p + 40];
                d6 = in[p + 48] * q[p + 48];
                d7 = in[p + 56] * q[p + 56];
            } else {
                d0 = ws[p];
                d1 = ws[p + 1];
                d2 = ws[p + 2];
                d3 = ws[p + 3];
                d4 = ws[p + 4];
                d5 = ws[p + 5];
                d6 = ws[p + 6];
                d7 = ws[p + 7];
                if ((d1 | d2 | d3 | d4 | d5 | d6 | d7) == 0) {
                    int v = limit((d0 + (1 << (pass1 + 2))) >> (pass1 + 3), center, maxSample, rangeShift);
                    for (int k = 0; k < 8; k++) {
                        out[o + k] = v;
                    }
                    continue;
                }
            }
            // even part
            int z1 = (d2 + d6) * FIX_0_541196100;
            int tmp2 = z1 + d6 * -FIX_1_847759065;
            int tmp3 = z1 + d2 * FIX_0_765366865;
            int tmp0 = (d0 + d4) << CONST_BITS;
            int tmp1 = (d0 - d4) << CONST_BITS;
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            // odd part
            z1 = d7 + d1;
            int z2 = d5 + d3;
            int z3 = d7 + d3;
            int z4 = d5 + d1;
            int z5 = (z3 + z4) * FIX_1_175875602;
            z1 = z1 * -FIX_0_899976223;
            z2 = z2 * -FIX_2_562915447;
            z3 = z3 * -FIX_1_961570560 + z5;
            z4 = z4 * -FIX_0_390180644 + z5;
            tmp0 = d7 * FIX_0_298631336 + z1 + z3;
            tmp1 = d5 * FIX_2_053119869 + z2 + z4;
            tmp2 = d3 * FIX_3_072711026 + z2 + z3;
            tmp3 = d1 * FIX_1_501321110 + z1 + z4;
            if (columns) {
                ws[p] = (tmp10 + tmp3 + rnd1) >> sh1;
                ws[p + 56] = (tmp10 - tmp3 + rnd1) >> sh1;
                ws[p + 8] = (tmp11 + tmp2 + rnd1) >> sh1;
                ws[p + 48] = (tmp11 - tmp2 + rnd1) >> sh1;
                ws[p + 16] = (tmp12 + tmp1 + rnd1) >> sh1;
                ws[p + 40] = (tmp12 - tmp1 + rnd1) >> sh1;
                ws[p + 24] = (tmp13 + tmp0 + rnd1) >> sh1;
                ws[p + 32] = (tmp13 - tmp0 + rnd1) >> sh1;
            } else {
                out[o] = limit((tmp10 + tmp3 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 7] = limit((tmp10 - tmp3 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 1] = limit((tmp11 + tmp2 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 6] = limit((tmp11 - tmp2 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 2] = limit((tmp12 + tmp1 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 5] = limit((tmp12 - tmp1 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 3] = limit((tmp13 + tmp0 + rnd2) >> sh2, center, maxSample, rangeShift);
                out[o + 4] = limit((tmp13 - tmp0 + rnd2) >> sh2, center, maxSample, rangeShift);
            }
        }
    }

    /**
     * libjpeg's IDCT range limit: idct_range_limit[x &amp; RANGE_MASK], i.e. x wrapped into
     * [-2(MAXJSAMPLE+1), 2(MAXJSAMPLE+1)), shifted by CENTERJSAMPLE and clamped to [0, MAXJSAMPLE].
     */
    private static int limit(int x, int center, int maxSample, int rangeShift) {
        int v = ((x << rangeShift) >> rangeShift) + center;
        return v < 0 ? 0 : Math.min(v, maxSample);
    }
}
