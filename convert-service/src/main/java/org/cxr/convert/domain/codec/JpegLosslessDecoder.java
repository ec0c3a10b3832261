package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.codec.JpegCodestream.HuffmanTable;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;

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
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total) throws PixelDecodeException {
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
        int[] out = new int[total];
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
        int rowsSinceRestart = 0;
        for (int y = 0; y < h; y++) {
            if (restartRows > 0 && y > 0 && y % restartRows == 0) {
                js.restart();
                rowsSinceRestart = 0;
            }
            int o = y * w;
            int end = o + w;
            if (rowsSinceRestart == 0) {
                int ra = initial;
                for (; o < end; o++) {
                    ra = (ra + js.decodeDifference(t, true)) & mask;
                    out[o] = ra;
                }
            } else {
                out[o] = (out[o - w] + js.decodeDifference(t, true)) & mask;
                o++;
                switch (predictor) {
                    case 1 -> {
                        for (; o < end; o++) {
                            out[o] = (out[o - 1] + js.decodeDifference(t, true)) & mask;
                        }
                    }
                    case 2 -> {
                        for (; o < end; o++) {
                            out[o] = (out[o - w] + js.decodeDifference(t, true)) & mask;
                        }
                    }
                    default -> {
                        for (; o < end; o++) {
                            int pred = predict(predictor, out[o - 1], out[o - w], out[o - w - 1]);
                            out[o] = (pred + js.decodeDifference(t, true)) & mask;
                        }
                    }
                }
            }
            rowsSinceRestart++;
            js.checkOverrun();
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
