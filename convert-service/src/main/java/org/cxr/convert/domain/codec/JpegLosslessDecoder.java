package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.codec.JpegCodestream.HuffmanTable;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * JPEG lossless, non-hierarchical, process 14 (1.2.840.10008.1.2.4.57, all selection values
 * 1-7, and .70, selection value 1): our own Huffman decoder following ITU-T T.81 Annex H and the
 * IJG libjpeg lossless patch GDCM uses (first row predicted from the left, first column from
 * above, 2^(P-Pt-1) for the first sample and after each restart, differences modulo 2^16, SSSS=16
 * meaning 32768, point transform applied as a left shift). Precision 2..16, 1 to 4 components
 * (interleaved in one scan, or one scan each), sampling factors 1x1, restart intervals that are
 * a whole number of rows. Only the first image of the codestream is decoded (data after it is
 * ignored, as GDCM does). Stateless and thread-safe.
 */
public final class JpegLosslessDecoder extends GuardedDecoder {
    static final String CODEC = "JPEG Lossless";

    public JpegLosslessDecoder() {
        super(CODEC);
    }

    @Override
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        JpegCodestream js = JpegCodestream.atFirstScan(CODEC, frame);
        if (js.sofMarker != 0xC3) {
            throw js.error("frame is not lossless JPEG process 14 (SOF marker 0xFF" + JpegMarkers.hex(js.sofMarker) + ")");
        }
        if (js.precision < 2 || js.precision > 16) {
            throw js.error("invalid sample precision " + js.precision);
        }
        CodecSupport.checkGeometry(CODEC, d, js.height, js.width, js.components);
        int nc = js.components;
        for (int c = 0; c < nc; c++) {
            if (nc > 1 && (js.compH[c] != 1 || js.compV[c] != 1)) {
                throw js.error("subsampled components are not supported");
            }
        }
        int[] out = buffers.take(total); // every sample is written (each component by its scan)
        boolean[] done = new boolean[nc];
        int decoded = 0;
        int pt = -1;
        while (true) {
            for (int i = 0; i < js.scanComponents; i++) {
                if (done[js.scanComp[i]]) {
                    throw js.error("component " + js.compId[js.scanComp[i]] + " appears in two scans");
                }
                done[js.scanComp[i]] = true;
            }
            if (js.ss < 1 || js.ss > 7) {
                throw js.error("invalid predictor (selection value) " + js.ss);
            }
            if (js.al >= js.precision) {
                throw js.error("invalid point transform " + js.al);
            }
            if (pt >= 0 && pt != js.al) {
                throw js.error("scans with different point transforms are not supported");
            }
            pt = js.al;
            decodeScan(js, out, nc);
            decoded += js.scanComponents;
            if (decoded == nc) {
                break;
            }
            js.endEntropy();
            if (!js.readToScan()) {
                throw js.error("codestream ended after " + decoded + " of " + nc + " components");
            }
        }
        if (pt > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] <<= pt;
            }
        }
        // reconstruction is modulo 2^8 or 2^16 (decodeScan), then shifted by the point transform
        return new Samples(out, (js.precision <= 8 ? 8 : 16) + Math.max(0, pt));
    }

    private static void decodeScan(JpegCodestream js, int[] out, int nc) throws PixelDecodeException {
        int ns = js.scanComponents;
        int w = js.width;
        int h = js.height;
        HuffmanTable[] tables = new HuffmanTable[ns];
        for (int i = 0; i < ns; i++) {
            tables[i] = js.dcTables[js.scanTd[i]];
            if (tables[i] == null) {
                throw js.error("scan uses undefined Huffman table " + js.scanTd[i]);
            }
        }
        int restartRows = 0;
        if (js.restartInterval > 0) {
            if (js.restartInterval % w != 0) {
                throw js.error("restart interval " + js.restartInterval + " is not a whole number of rows of " + w);
            }
            restartRows = js.restartInterval / w;
        }
        int mask = js.precision <= 8 ? 0xFF : 0xFFFF;
        int initial = 1 << (js.precision - js.al - 1);
        int predictor = js.ss;
        js.startEntropy();
        if (ns == 1 && nc == 1) {
            decodeSingle(js, tables[0], out, w, h, predictor, initial, mask, restartRows);
            return;
        }
        int rowLen = w * nc;
        int rowsSinceRestart = 0;
        for (int y = 0; y < h; y++) {
            if (restartRows > 0 && y > 0 && y % restartRows == 0) {
                js.restart();
                rowsSinceRestart = 0;
            }
            boolean firstRow = rowsSinceRestart == 0;
            int row = y * rowLen;
            for (int x = 0; x < w; x++) {
                for (int i = 0; i < ns; i++) {
                    int o = row + x * nc + js.scanComp[i];
                    int diff = js.decodeDifference(tables[i], true);
                    int pred;
                    if (firstRow) {
                        pred = x == 0 ? initial : out[o - nc];
                    } else if (x == 0) {
                        pred = out[o - rowLen];
                    } else {
                        pred = predict(predictor, out[o - nc], out[o - rowLen], out[o - rowLen - nc]);
                    }
                    out[o] = (pred + diff) & mask;
                }
            }
            rowsSinceRestart++;
            js.checkOverrun();
        }
    }

    private static void decodeSingle(JpegCodestream js, HuffmanTable t, int[] out, int w, int h,
            int predictor, int initial, int mask, int restartRows) throws PixelDecodeException {
        int[] pairs = pairTable(t);
        int rowsSinceRestart = 0;
        for (int y = 0; y < h; y++) {
            if (restartRows > 0 && y > 0 && y % restartRows == 0) {
                js.restart();
                rowsSinceRestart = 0;
            }
            int o = y * w;
            int end = o + w;
            if (rowsSinceRestart == 0) {
                // the first row: each sample predicted from the one before it, the first from 2^(P-Pt-1)
                decodeRow(js, t, pairs, out, o, end, initial, mask, -1);
            } else if (predictor == 1) {
                // the first column from above, the others from the left (.70), as they are decoded
                decodeRow(js, t, pairs, out, o, o + 1, out[o - w], mask, -1);
                decodeRow(js, t, pairs, out, o + 1, end, out[o], mask, -1);
            } else {
                // the row's differences first, then the prediction over them in place (the row is in L1)
                decodeRow(js, t, pairs, out, o, end, 0, -1, 0);
                out[o] = (out[o - w] + out[o]) & mask;
                o++;
                switch (predictor) {
                    case 2 -> {
                        for (; o < end; o++) {
                            out[o] = (out[o - w] + out[o]) & mask;
                        }
                    }
                    default -> {
                        for (; o < end; o++) {
                            out[o] = (predict(predictor, out[o - 1], out[o - w], out[o - w - 1]) + out[o]) & mask;
                        }
                    }
                }
            }
            rowsSinceRestart++;
            js.checkOverrun();
        }
    }

    /**
     * For every {@link HuffmanTable#MAGNITUDE_LOOKAHEAD}-bit prefix of the data: the differences its
     * codes give, two when both codes with their extra bits fit in it, as (1 &lt;&lt; 31 if two | bits
     * used &lt;&lt; 24 | second &lt;&lt; 12 | first), each difference as 12 bits (a code and its extra bits
     * in 12 bits carry at most 11 of them); 0 where the first code does not fit. From the table's
     * one-difference entries ({@link HuffmanTable#magnitudes}).
     */
    private static int[] pairTable(HuffmanTable t) {
        final int lookahead = HuffmanTable.MAGNITUDE_LOOKAHEAD;
        int[] one = t.magnitudes;
        int[] pairs = new int[one.length];
        for (int p = 0; p < one.length; p++) {
            int e1 = one[p];
            if (e1 == 0) {
                continue;
            }
            int len1 = e1 >>> 16;
            int entry = len1 << 24 | (e1 & 0xFFF);
            int e2 = one[(p << len1) & (one.length - 1)];
            int len2 = e2 >>> 16;
            if (e2 != 0 && len1 + len2 <= lookahead) {
                entry = 1 << 31 | (len1 + len2) << 24 | (e2 & 0xFFF) << 12 | (e1 & 0xFFF);
            }
            pairs[p] = entry;
        }
        return pairs;
    }

    /**
     * The samples out[from..to) of a one-component scan, two per table lookup where they fit (Huffman
     * decoding is a chain of dependent lookups, and under C1, which the CLI runs, a call per sample
     * besides), with the bit buffer in locals; codes longer than the table's lookahead go through
     * {@link JpegCodestream#decodeDifference}. Each sample is (ra + its difference) &amp; mask, ra being
     * the sample before it masked by {@code keep}: -1 predicts each from the one before it (the
     * first from the given ra), 0 (with ra 0, mask -1) leaves the differences themselves.
     */
    private static void decodeRow(JpegCodestream js, HuffmanTable t, int[] pairs, int[] out, int from, int to,
            int ra, int mask, int keep) throws PixelDecodeException {
        final int shift = 64 - HuffmanTable.MAGNITUDE_LOOKAHEAD;
        long bb = js.buf;
        int nb = js.bits;
        int x = from;
        int last = to - 1;
        // up to the row's last sample: a second sample is written to out[x + 1] even when the
        // entry holds one difference (the next step overwrites it), so that no branch depends on the data
        while (x < last) {
            if (nb < 16) {
                js.buf = bb;
                js.bits = nb;
                js.fill();
                bb = js.buf;
                nb = js.bits;
            }
            int e = pairs[(int) (bb >>> shift)];
            if (e != 0) {
                int v1 = (ra + (e << 20 >> 20)) & mask;
                int v2 = ((v1 & keep) + (e << 8 >> 20)) & mask;
                out[x] = v1;
                out[x + 1] = v2;
                int two = e >>> 31;
                ra = (v1 + ((v2 - v1) & -two)) & keep;
                int len = (e >>> 24) & 0x1F;
                bb <<= len;
                nb -= len;
                x += 1 + two;
            } else {
                js.buf = bb;
                js.bits = nb;
                int v = (ra + js.decodeDifference(t, true)) & mask;
                out[x++] = v;
                ra = v & keep;
                bb = js.buf;
                nb = js.bits;
            }
        }
        js.buf = bb;
        js.bits = nb;
        if (x == last) {
            out[x] = (ra + js.decodeDifference(t, true)) & mask;
        }
    }

    private static int predict(int predictor, int ra, int rb, int rc) {
        return switch (predictor) {
            case 1 -> ra;
            case 2 -> rb;
            case 3 -> rc;
            case 4 -> ra + rb - rc;
            case 5 -> ra + ((rb - rc) >> 1);
            case 6 -> rb + ((ra - rc) >> 1);
            default -> (ra + rb) >> 1;
        };
    }
}
