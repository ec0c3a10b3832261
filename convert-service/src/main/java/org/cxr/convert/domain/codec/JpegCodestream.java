package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * Marker-level parse of an ITU-T T.81 (JPEG) codestream for our Huffman decoders: frame header,
 * Huffman and quantization tables, restart interval, scan header, and an entropy-coded-segment
 * bit reader with a 64-bit buffer. One instance per decode call (not thread-safe, not shared).
 */
final class JpegCodestream extends EntropyBits {
    private final JpegMarkers markers;

    // frame header
    int sofMarker = -1;
    int precision;
    int height;
    int width;
    int components;
    final int[] compId = new int[4];
    final int[] compH = new int[4];
    final int[] compV = new int[4];
    final int[] compTq = new int[4];

    final HuffmanTable[] dcTables = new HuffmanTable[4];
    final HuffmanTable[] acTables = new HuffmanTable[4];
    /** Quantization tables in natural (row-major) order. */
    final int[][] quantTables = new int[4][];
    int restartInterval;

    // current scan header
    int scanComponents;
    final int[] scanComp = new int[4]; // indices into the frame's components
    final int[] scanTd = new int[4];
    final int[] scanTa = new int[4];
    int ss;
    int se;
    int ah;
    int al;

    private JpegCodestream(String codec, byte[] src) throws PixelDecodeException {
        super(src, 0, false);
        this.markers = new JpegMarkers(codec, src);
    }

    /** The codestream with its tables and frame header read, positioned at the first scan's data. */
    static JpegCodestream atFirstScan(String codec, byte[] src) throws PixelDecodeException {
        JpegCodestream js = new JpegCodestream(codec, src);
        if (!js.readToScan()) {
            throw js.error("codestream has no scan");
        }
        return js;
    }

    PixelDecodeException error(String message) {
        return markers.error(message);
    }

    /**
     * Reads markers from the current position up to and including the next SOS (returns true,
     * with {@link #pos} at the scan's entropy-coded data) or EOI (returns false). The frame header
     * must precede the first SOS.
     */
    boolean readToScan() throws PixelDecodeException {
        while (true) {
            int marker = markers.next(sofMarker < 0 ? "before the frame header" : "(no EOI)");
            int seg = markers.segmentStart;
            int segEnd = markers.segmentEnd;
            if (marker == JpegMarkers.EOI) {
                return false;
            } else if (marker == JpegMarkers.SOS) {
                readScanHeader(seg, segEnd);
                pos = segEnd;
                return true;
            } else if (marker == JpegMarkers.DHT) {
                readHuffmanTables(seg, segEnd);
            } else if (marker == JpegMarkers.DQT) {
                readQuantTables(seg, segEnd);
            } else if (marker == JpegMarkers.DRI) {
                restartInterval = segEnd - seg >= 2 ? CodecSupport.u16(src, seg) : 0;
            } else if (marker == JpegMarkers.DAC) {
                throw error("arithmetic coding is not supported");
            } else if (JpegMarkers.isFrameHeader(marker)) {
                readFrameHeader(marker, seg, segEnd);
            } // APPn, COM, DNL and others: skipped
        }
    }

    private void readFrameHeader(int marker, int p, int end) throws PixelDecodeException {
        if (sofMarker >= 0) {
            throw error("more than one frame header (hierarchical JPEG is not supported)");
        }
        if (end - p < 6) {
            throw error("frame header too short");
        }
        sofMarker = marker;
        precision = src[p] & 0xFF;
        height = CodecSupport.u16(src, p + 1);
        width = CodecSupport.u16(src, p + 3);
        components = src[p + 5] & 0xFF;
        if (components < 1 || components > 4 || end - p < 6 + 3 * components) {
            throw error("invalid number of components " + components + " in the frame header");
        }
        if (height == 0 || width == 0) {
            throw error("frame size " + width + "x" + height + " (DNL) is not supported");
        }
        for (int c = 0; c < components; c++) {
            compId[c] = src[p + 6 + 3 * c] & 0xFF;
            int hv = src[p + 7 + 3 * c] & 0xFF;
            compH[c] = hv >> 4;
            compV[c] = hv & 15;
            compTq[c] = src[p + 8 + 3 * c] & 0xFF;
            if (compH[c] < 1 || compH[c] > 4 || compV[c] < 1 || compV[c] > 4 || compTq[c] > 3) {
                throw error("invalid sampling factors or table selector for component " + compId[c]);
            }
        }
    }

    private void readHuffmanTables(int p, int end) throws PixelDecodeException {
        while (p < end) {
            int tcth = src[p] & 0xFF;
            int tc = tcth >> 4;
            int th = tcth & 15;
            if (tc > 1 || th > 3 || p + 17 > end) {
                throw error("invalid Huffman table definition");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int i = 1; i <= 16; i++) {
                counts[i] = src[p + i] & 0xFF;
                total += counts[i];
            }
            if (total > 256 || p + 17 + total > end) {
                throw error("Huffman table runs past its segment");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = src[p + 17 + i] & 0xFF;
            }
            HuffmanTable t = new HuffmanTable(counts, values, this);
            if (tc == 0) {
                dcTables[th] = t;
            } else {
                acTables[th] = t;
            }
            p += 17 + total;
        }
    }

    private void readQuantTables(int p, int end) throws PixelDecodeException {
        while (p < end) {
            int pqtq = src[p] & 0xFF;
            int pq = pqtq >> 4;
            int tq = pqtq & 15;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > end) {
                throw error("invalid quantization table definition");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                int v = pq == 0 ? src[p + 1 + k] & 0xFF : CodecSupport.u16(src, p + 1 + 2 * k);
                table[ZIGZAG[k]] = v;
            }
            quantTables[tq] = table;
            p += 1 + size;
        }
    }

    private void readScanHeader(int p, int end) throws PixelDecodeException {
        if (sofMarker < 0) {
            throw error("SOS before the frame header");
        }
        int ns = src[p] & 0xFF;
        if (ns < 1 || ns > components || end - p < 4 + 2 * ns) {
            throw error("invalid scan header");
        }
        scanComponents = ns;
        for (int i = 0; i < ns; i++) {
            int id = src[p + 1 + 2 * i] & 0xFF;
            int index = -1;
            for (int c = 0; c < components; c++) {
                if (compId[c] == id) {
                    index = c;
                }
            }
            if (index < 0) {
                throw error("scan names unknown component " + id);
            }
            scanComp[i] = index;
            int t = src[p + 2 + 2 * i] & 0xFF;
            scanTd[i] = t >> 4;
            scanTa[i] = t & 15;
            if (scanTd[i] > 3 || scanTa[i] > 3) {
                throw error("invalid Huffman table selector in the scan header");
            }
        }
        ss = src[p + 1 + 2 * ns] & 0xFF;
        se = src[p + 2 + 2 * ns] & 0xFF;
        ah = (src[p + 3 + 2 * ns] & 0xFF) >> 4;
        al = src[p + 3 + 2 * ns] & 0x0F;
    }

    /** Zig-zag index to natural (row-major) index. */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

    /** Huffman decoding table: a 9-bit lookahead table plus libjpeg's maxcode/valptr slow path. */
    static final class HuffmanTable {
        static final int LOOKAHEAD = 9;
        /** Bits looked at to decode a code and its extra bits in one step ({@link #magnitudes}). */
        static final int MAGNITUDE_LOOKAHEAD = 12;
        /** (length &lt;&lt; 8 | symbol) for codes of at most LOOKAHEAD bits, 0 otherwise. */
        final int[] lookup = new int[1 << LOOKAHEAD];
        /**
         * For a category code SSSS of 1..15 followed by its SSSS extra bits within the next
         * MAGNITUDE_LOOKAHEAD bits: (bits used &lt;&lt; 16 | the EXTENDed value as 16 bits); SSSS 0 gives
         * the length and 0; anything longer, 0.
         */
        final int[] magnitudes = new int[1 << MAGNITUDE_LOOKAHEAD];
        /**
         * The same for an AC symbol RRRRSSSS with SSSS 1..15: (bits used &lt;&lt; 24 | run &lt;&lt; 16 | the
         * coefficient as 16 bits); 0 when longer, and for EOB and ZRL.
         */
        final int[] coefficients = new int[1 << MAGNITUDE_LOOKAHEAD];
        final int[] maxCode = new int[18];
        final int[] valOffset = new int[17];
        final int[] values;

        HuffmanTable(int[] counts, int[] values, JpegCodestream js) throws PixelDecodeException {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valOffset[len] = k - code;
                if (counts[len] > 0) {
                    for (int i = 0; i < counts[len]; i++) {
                        if (len <= LOOKAHEAD) {
                            int shift = LOOKAHEAD - len;
                            int first = code << shift;
                            for (int j = 0; j < (1 << shift); j++) {
                                lookup[first + j] = len << 8 | values[k];
                            }
                        }
                        code++;
                        k++;
                    }
                    maxCode[len] = code - 1;
                } else {
                    maxCode[len] = -1;
                }
                if (code > (1 << len)) {
                    throw js.error("invalid Huffman table (code space overflow)");
                }
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
            for (int p = 0; p < magnitudes.length; p++) {
                int e = lookup[p >> (MAGNITUDE_LOOKAHEAD - LOOKAHEAD)];
                int len = e >> 8;
                int symbol = e & 0xFF;
                int ssss = symbol & 15;
                if (e == 0 || len + ssss > MAGNITUDE_LOOKAHEAD) {
                    continue;
                }
                int value = extend((p >> (MAGNITUDE_LOOKAHEAD - len - ssss)) & ((1 << ssss) - 1), ssss) & 0xFFFF;
                if (symbol < 16) {
                    magnitudes[p] = (len + ssss) << 16 | value;
                }
                if (ssss != 0) {
                    coefficients[p] = (len + ssss) << 24 | (symbol >> 4) << 16 | value;
                }
            }
        }
    }

    /** T.81 EXTEND: the {@code n} extra bits {@code v} of magnitude category n as a signed value. */
    static int extend(int v, int n) {
        return n == 0 || v >= (1 << (n - 1)) ? v : v - (1 << n) + 1;
    }

    // -------------------------------------------------------------------- entropy-coded data

    /** Starts reading entropy-coded data at the current position. */
    void startEntropy() {
        restartAt(pos);
    }

    /** Throws when the decoder consumed bits past the end of the entropy-coded segment. */
    void checkOverrun() throws PixelDecodeException {
        if (overrun()) {
            throw error("codestream truncated (entropy-coded data ended before the image was complete)");
        }
    }

    /** Reads n bits and sign-extends them as a T.81 magnitude category value (EXTEND). */
    int receiveExtend(int n) {
        return extend(take(n), n);
    }

    /**
     * A difference coded as category SSSS by {@code t}, then SSSS extra bits (T.81 F.1.2.1 for DC,
     * H.1.2.2 lossless, where SSSS 16 is 32768 without extra bits). Code and extra bits are usually
     * decoded in one lookup.
     */
    int decodeDifference(HuffmanTable t, boolean lossless) throws PixelDecodeException {
        if (bits < 16) {
            fill();
        }
        int e = t.magnitudes[(int) (buf >>> (64 - HuffmanTable.MAGNITUDE_LOOKAHEAD))];
        if (e != 0) {
            int n = e >>> 16;
            buf <<= n;
            bits -= n;
            return (short) e;
        }
        int s = decode(t);
        if (lossless && s == 16) {
            return 32768;
        }
        if (s > 16) {
            throw error("invalid " + (lossless ? "difference" : "DC") + " category " + s + " (corrupt data)");
        }
        return receiveExtend(s);
    }

    /**
     * An AC coefficient (T.81 F.2.2.2) as (run &lt;&lt; 16 | the coefficient as 16 bits): ZRL is a run of 15
     * with coefficient 0, EOB is -1.
     */
    int decodeCoefficient(HuffmanTable t) throws PixelDecodeException {
        if (bits < 16) {
            fill();
        }
        int e = t.coefficients[(int) (buf >>> (64 - HuffmanTable.MAGNITUDE_LOOKAHEAD))];
        if (e != 0) {
            int n = e >>> 24;
            buf <<= n;
            bits -= n;
            return e & 0xFFFFFF;
        }
        int rs = decode(t);
        int r = rs >> 4;
        int s = rs & 15;
        if (s == 0) {
            return r == 15 ? 15 << 16 : -1;
        }
        return r << 16 | (receiveExtend(s) & 0xFFFF);
    }

    int decode(HuffmanTable t) throws PixelDecodeException {
        if (bits < 16) {
            fill();
        }
        int e = t.lookup[(int) (buf >>> (64 - HuffmanTable.LOOKAHEAD))];
        if (e != 0) {
            int len = e >> 8;
            buf <<= len;
            bits -= len;
            return e & 0xFF;
        }
        for (int len = HuffmanTable.LOOKAHEAD + 1; len <= 16; len++) {
            int code = (int) (buf >>> (64 - len));
            if (code <= t.maxCode[len]) {
                buf <<= len;
                bits -= len;
                int idx = code + t.valOffset[len];
                if (idx < 0 || idx >= t.values.length) {
                    break;
                }
                return t.values[idx];
            }
        }
        checkOverrun();
        throw error("invalid Huffman code (corrupt data)");
    }

    /**
     * At a restart boundary: drops the remaining bits of the byte and consumes an RSTn marker.
     * Throws if the data holds no RST marker there.
     */
    void restart() throws PixelDecodeException {
        checkOverrun();
        if (markerPos < 0) {
            // the reader has not reached the marker yet: skip the rest of the data before it
            int p = pos;
            while (p + 1 < src.length && !((src[p] & 0xFF) == 0xFF && src[p + 1] != 0 && (src[p + 1] & 0xFF) != 0xFF)) {
                p++;
            }
            markerPos = p;
        }
        int q = afterFillBytes(markerPos);
        int markerCode = q < src.length ? src[q] & 0xFF : -1;
        if (markerCode < 0xD0 || markerCode > 0xD7) {
            throw error("expected a restart marker, found " + (markerCode < 0 ? "the end of the data" : "0xFF" + JpegMarkers.hex(markerCode)));
        }
        pos = markerPos + 2;
        while (pos < src.length && (src[pos] & 0xFF) == 0xFF && pos + 1 < src.length && (src[pos + 1] & 0xFF) == 0xFF) {
            pos++;
        }
        startEntropy();
    }

    /** After a scan: positions the parser at the marker that ended the entropy-coded data. */
    void endEntropy() {
        markers.pos = markerPos >= 0 ? markerPos : pos;
        startEntropy();
    }
}
