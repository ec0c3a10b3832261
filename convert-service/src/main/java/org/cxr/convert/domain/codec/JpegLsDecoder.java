package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * JPEG-LS lossless and near-lossless (1.2.840.10008.1.2.4.80 / .81), our own decoder after
 * ITU-T T.87 (ISO/IEC 14495-1) and CharLS (the library GDCM uses): regular mode with the 365
 * context statistics, run mode with run interruption, NEAR &gt; 0, default or LSE-preset
 * thresholds (T1, T2, T3, RESET, MAXVAL), bit stuffing after 0xFF, precision 2..16 bits.
 * One component, or three components with interleave mode 0 (one scan per component) or
 * 1 (line interleaved). Not supported (clear PixelDecodeException): sample interleave (ILV=2),
 * point transform, mapping tables, restart markers, HP colour transforms. Stateless and
 * thread-safe: all decoding state lives in a per-call object.
 */
public final class JpegLsDecoder extends GuardedDecoder {
    static final String CODEC = "JPEG-LS";

    public JpegLsDecoder() {
        super(CODEC);
    }

    @Override
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        Parser parser = new Parser(frame, d, buffers.take(total)); // every sample is written (all scans, whole lines)
        int[] out = parser.run();
        return new Samples(out, parser.precision); // reconstruction clamps to 0..MAXVAL, MAXVAL < 2^precision
    }

    /** Leading zero bits of a byte (8 for 0). */
    private static final byte[] LEADING_ZEROS = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            LEADING_ZEROS[i] = (byte) (Integer.numberOfLeadingZeros(i) - 24);
        }
    }

    /** Samples per call of ScanDecoder.decodeSamples. */
    private static final int CHUNK = 64;

    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
        4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /** Marker segments: SOI, SOF55, LSE (type 1), APPn/COM, DRI, SOS... EOI. */
    private static final class Parser {
        private final byte[] src;
        private final ImageDescriptor d;
        private final int[] out;
        private final JpegMarkers markers;
        private int precision;
        private int width;
        private int height;
        private int components;
        private final int[] componentIds = new int[4];
        private final boolean[] componentDone = new boolean[4];
        // preset coding parameters (0 = default)
        private int presetMaxVal;
        private int presetT1;
        private int presetT2;
        private int presetT3;
        private int presetReset;

        Parser(byte[] src, ImageDescriptor d, int[] out) throws PixelDecodeException {
            this.src = src;
            this.d = d;
            this.out = out;
            this.markers = new JpegMarkers(CODEC, src);
        }

        int[] run() throws PixelDecodeException {
            int scansDone = 0;
            for (int marker = next(); marker != JpegMarkers.EOI; marker = next()) {
                int seg = markers.segmentStart;
                int len = markers.segmentEnd - seg + 2;
                if (marker == JpegMarkers.SOF55) {
                    readFrameHeader(seg, len);
                } else if (marker == JpegMarkers.LSE) {
                    readPreset(seg, len);
                } else if (marker == JpegMarkers.DRI) {
                    if (len >= 4 && CodecSupport.u16(src, seg) != 0) {
                        throw new PixelDecodeException(CODEC + ": restart intervals are not supported");
                    }
                } else if (marker == JpegMarkers.SOS) {
                    if (components == 0) {
                        throw new PixelDecodeException(CODEC + ": SOS before the SOF55 frame header");
                    }
                    scansDone += readScan(seg, len);
                    if (scansDone >= components) {
                        return out;
                    }
                } else if (JpegMarkers.isFrameHeader(marker)) {
                    throw new PixelDecodeException(CODEC + ": frame is not JPEG-LS (SOF marker 0xFF"
                            + JpegMarkers.hex(marker) + ")");
                }
            }
            throw new PixelDecodeException(CODEC + ": codestream ended after " + scansDone + " of "
                    + components + " scan(s)");
        }

        private int next() throws PixelDecodeException {
            return markers.next(components > 0 ? "(no EOI)" : "before the first scan");
        }

        private void readFrameHeader(int p, int len) throws PixelDecodeException {
            if (width != 0) {
                throw new PixelDecodeException(CODEC + ": more than one frame header");
            }
            if (len < 8) {
                throw new PixelDecodeException(CODEC + ": SOF55 segment too short");
            }
            precision = src[p] & 0xFF;
            height = CodecSupport.u16(src, p + 1);
            width = CodecSupport.u16(src, p + 3);
            components = src[p + 5] & 0xFF;
            if (precision < 2 || precision > 16) {
                throw new PixelDecodeException(CODEC + ": unsupported sample precision " + precision);
            }
            if (components < 1 || components > 4 || len < 8 + 3 * components) {
                throw new PixelDecodeException(CODEC + ": invalid component count " + components);
            }
            if (height == 0) {
                throw new PixelDecodeException(CODEC + ": height 0 (DNL) is not supported");
            }
            CodecSupport.checkGeometry(CODEC, d, height, width, components);
            if (precision > d.bitsAllocated()) {
                throw new PixelDecodeException(CODEC + ": precision " + precision + " exceeds BitsAllocated "
                        + d.bitsAllocated());
            }
            for (int c = 0; c < components; c++) {
                componentIds[c] = src[p + 6 + 3 * c] & 0xFF;
                int sampling = src[p + 7 + 3 * c] & 0xFF;
                if (sampling != 0x11) {
                    throw new PixelDecodeException(CODEC + ": subsampled components are not supported");
                }
            }
        }

        private void readPreset(int p, int len) throws PixelDecodeException {
            if (len < 3) {
                throw new PixelDecodeException(CODEC + ": LSE segment too short");
            }
            int id = src[p] & 0xFF;
            if (id != 1) {
                throw new PixelDecodeException(CODEC + ": LSE type " + id
                        + " (mapping table / extended dimensions) is not supported");
            }
            if (len < 13) {
                throw new PixelDecodeException(CODEC + ": LSE preset segment too short");
            }
            presetMaxVal = CodecSupport.u16(src, p + 1);
            presetT1 = CodecSupport.u16(src, p + 3);
            presetT2 = CodecSupport.u16(src, p + 5);
            presetT3 = CodecSupport.u16(src, p + 7);
            presetReset = CodecSupport.u16(src, p + 9);
        }

        /** Decodes one scan starting right after its SOS header; returns the number of components it held. */
        private int readScan(int p, int len) throws PixelDecodeException {
            int ns = src[p] & 0xFF;
            if (ns < 1 || ns > components || len < 6 + 2 * ns) {
                throw new PixelDecodeException(CODEC + ": invalid SOS component count " + ns);
            }
            int[] comps = new int[ns];
            for (int i = 0; i < ns; i++) {
                int id = src[p + 1 + 2 * i] & 0xFF;
                int index = -1;
                for (int c = 0; c < components; c++) {
                    if (componentIds[c] == id) {
                        index = c;
                    }
                }
                if (index < 0 || componentDone[index]) {
                    throw new PixelDecodeException(CODEC + ": SOS names unknown or repeated component " + id);
                }
                if ((src[p + 2 + 2 * i] & 0xFF) != 0) {
                    throw new PixelDecodeException(CODEC + ": mapping tables are not supported");
                }
                componentDone[index] = true;
                comps[i] = index;
            }
            int near = src[p + 1 + 2 * ns] & 0xFF;
            int ilv = src[p + 2 + 2 * ns] & 0xFF;
            int pt = src[p + 3 + 2 * ns] & 0x0F;
            if (pt != 0) {
                throw new PixelDecodeException(CODEC + ": point transform " + pt + " is not supported");
            }
            if (ilv > 2) {
                throw new PixelDecodeException(CODEC + ": invalid interleave mode " + ilv);
            }
            if (ns > 1 && ilv != 1) {
                throw new PixelDecodeException(CODEC + ": interleave mode " + ilv
                        + " with " + ns + " components is not supported (only line interleave)");
            }
            ScanDecoder scan = new ScanDecoder(src, markers.pos, width, height, precision, near,
                    presetMaxVal, presetT1, presetT2, presetT3, presetReset);
            scan.decode(out, comps, components);
            markers.pos = scan.endPosition();
            return ns;
        }
    }

    /** One scan: the coding parameters, the context statistics and the bit reader. */
    static final class ScanDecoder extends EntropyBits {

        private final int width;
        private final int height;
        private final int maxVal;
        private final int near;
        private final int range;
        private final int qbpp;
        private final int limit;
        private final int reset;
        private final int t1;
        private final int t2;
        private final int t3;
        private final int twoNearPlus1;

        // context statistics: 365 regular contexts
        private final int[] a = new int[365];
        private final int[] b = new int[365];
        private final int[] c = new int[365];
        private final int[] n = new int[365];
        // run interruption contexts (RItype 0 and 1)
        private final int[] ra = new int[2];
        private final int[] rn = new int[2];
        private final int[] rnn = new int[2];
        /** Gradient quantization: quant[D + qOffset] in -4..4 for every D in -MAXVAL..MAXVAL. */
        private final byte[] quant;
        private final int qOffset;
        private int runIndex;

        ScanDecoder(byte[] src, int start, int width, int height, int precision, int near,
                int presetMaxVal, int presetT1, int presetT2, int presetT3, int presetReset)
                throws PixelDecodeException {
            super(src, start, true);
            this.width = width;
            this.height = height;
            int maxv = presetMaxVal != 0 ? presetMaxVal : (1 << precision) - 1;
            if (maxv >= (1 << precision) && presetMaxVal != 0) {
                // CharLS accepts MAXVAL up to 2^P - 1 only
                throw new PixelDecodeException(CODEC + ": LSE MAXVAL " + maxv + " exceeds the precision " + precision);
            }
            this.maxVal = maxv;
            if (near < 0 || near > Math.min(255, maxVal / 2)) {
                throw new PixelDecodeException(CODEC + ": invalid NEAR " + near + " for MAXVAL " + maxVal);
            }
            this.near = near;
            this.twoNearPlus1 = 2 * near + 1;
            this.range = (maxVal + 2 * near) / twoNearPlus1 + 1;
            int q = 0;
            while ((1 << q) < range) {
                q++;
            }
            this.qbpp = q;
            int bpp = 2;
            while ((1 << bpp) < maxVal + 1) {
                bpp++;
            }
            this.limit = 2 * (bpp + Math.max(8, bpp));
            int[] t = defaultThresholds(maxVal, near);
            int tt1 = presetT1 != 0 ? presetT1 : t[0];
            int tt2 = presetT2 != 0 ? presetT2 : t[1];
            int tt3 = presetT3 != 0 ? presetT3 : t[2];
            this.reset = presetReset != 0 ? presetReset : 64;
            if (tt1 < near + 1 || tt1 > maxVal || tt2 < tt1 || tt2 > maxVal || tt3 < tt2 || tt3 > maxVal
                    || reset < 3 || reset > Math.max(255, maxVal)) {
                throw new PixelDecodeException(CODEC + ": invalid preset thresholds T1=" + tt1 + " T2=" + tt2
                        + " T3=" + tt3 + " RESET=" + reset);
            }
            this.t1 = tt1;
            this.t2 = tt2;
            this.t3 = tt3;
            int initA = Math.max(2, (range + 32) / 64);
            for (int i = 0; i < 365; i++) {
                a[i] = initA;
                n[i] = 1;
            }
            ra[0] = ra[1] = initA;
            rn[0] = rn[1] = 1;
            // samples lie in 0..MAXVAL, so a gradient never leaves -MAXVAL..MAXVAL: no clamping per pixel
            qOffset = maxVal;
            quant = new byte[2 * maxVal + 1];
            for (int i = -maxVal; i <= maxVal; i++) {
                quant[i + qOffset] = (byte) quantize(i);
            }
        }

        /** T.87 C.2.4.1.1 default thresholds. */
        static int[] defaultThresholds(int maxVal, int near) {
            int t1;
            int t2;
            int t3;
            if (maxVal >= 128) {
                int factor = (Math.min(maxVal, 4095) + 128) >> 8;
                t1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxVal);
                t2 = clamp(factor * (7 - 3) + 3 + 5 * near, t1, maxVal);
                t3 = clamp(factor * (21 - 4) + 4 + 7 * near, t2, maxVal);
            } else {
                int factor = 256 / (maxVal + 1);
                t1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, maxVal);
                t2 = clamp(Math.max(3, 7 / factor + 5 * near), t1, maxVal);
                t3 = clamp(Math.max(4, 21 / factor + 7 * near), t2, maxVal);
            }
            return new int[] {t1, t2, t3};
        }

        private static int clamp(int i, int j, int maxVal) {
            return (i > maxVal || i < j) ? j : i;
        }

        private int quantize(int di) {
            if (di <= -t3) {
                return -4;
            }
            if (di <= -t2) {
                return -3;
            }
            if (di <= -t1) {
                return -2;
            }
            if (di < -near) {
                return -1;
            }
            if (di <= near) {
                return 0;
            }
            if (di < t1) {
                return 1;
            }
            if (di < t2) {
                return 2;
            }
            if (di < t3) {
                return 3;
            }
            return 4;
        }

        // ---------------------------------------------------------------- bit reader

        /** Counts zero bits up to the next one bit (consumed); throws past maxZeros. */
        private int readZeros(int maxZeros) throws PixelDecodeException {
            int count = 0;
            while (true) {
                if (bits < 32) {
                    fill();
                }
                int z = Long.numberOfLeadingZeros(buf);
                if (z < bits) {
                    count += z;
                    if (count > maxZeros) {
                        throw new PixelDecodeException(CODEC + ": invalid Golomb code (corrupt or truncated data)");
                    }
                    buf <<= z + 1;
                    bits -= z + 1;
                    return count;
                }
                count += bits;
                buf = 0;
                bits = 0;
                if (count > maxZeros) {
                    throw new PixelDecodeException(CODEC + ": invalid Golomb code (corrupt or truncated data)");
                }
            }
        }

        private void checkOverrun() throws PixelDecodeException {
            if (overrun()) {
                throw new PixelDecodeException(CODEC + ": codestream truncated (scan data ended before the image)");
            }
        }

        /** Position of the marker ending this scan (or where the search for it should start). */
        int endPosition() {
            if (markerPos >= 0) {
                return markerPos;
            }
            int p = pos;
            while (p + 1 < src.length) {
                if ((src[p] & 0xFF) == 0xFF && (src[p + 1] & 0xFF) >= 0x80) {
                    return p;
                }
                p++;
            }
            return src.length;
        }

        // ---------------------------------------------------------------- decoding

        /**
         * Decodes the scan's components (indices into the frame's components) into out, whose
         * samples are interleaved over {@code allComponents}.
         */
        void decode(int[] out, int[] comps, int allComponents) throws PixelDecodeException {
            int ns = comps.length;
            int stride = width + 2;
            // per component: two line buffers with one guard sample on each side
            int[][] prev = new int[ns][stride];
            int[][] cur = new int[ns][stride];
            int[] runIndexes = new int[ns];
            for (int y = 0; y < height; y++) {
                for (int k = 0; k < ns; k++) {
                    int[] p = prev[k];
                    int[] cl = cur[k];
                    p[width + 1] = p[width];
                    cl[0] = p[1];
                    runIndex = runIndexes[k];
                    for (int x = 1; x <= width; ) {
                        x = decodeSamples(p, cl, x, Math.min(width, x + CHUNK - 1));
                    }
                    runIndexes[k] = runIndex;
                    int o = y * width * allComponents + comps[k];
                    if (allComponents == 1) {
                        System.arraycopy(cl, 1, out, y * width, width);
                    } else {
                        for (int x = 1; x <= width; x++, o += allComponents) {
                            out[o] = cl[x];
                        }
                    }
                    prev[k] = cl;
                    cur[k] = p;
                }
                checkOverrun();
            }
        }

        /**
         * The samples of a line from {@code from} to {@code to} (1-based; run mode may go on to the
         * line's end), returning the position after the last one decoded. A line is decoded in
         * pieces of {@link #CHUNK} so that the method is soon called often enough for the JIT to
         * compile it (a first file otherwise runs tens of thousands of samples interpreted, until an
         * on-stack replacement). The regular mode (most samples) is written out in this one method, with the
         * neighbours, the coding parameters and the bit buffer in locals: the CLI's short runs use
         * C1 only, which inlines only methods under 35 bytes, keeps every field load and would make
         * four calls per sample here (measured: docs/benchmarks.md#convert). Run mode, the escape
         * code and a refill of the bit buffer go through the methods below, with the buffer written
         * back to the fields around them.
         */
        private int decodeSamples(int[] prev, int[] cur, int from, int to) throws PixelDecodeException {
            final byte[] q = quant;
            final int qo = qOffset;
            final int[] ca = a;
            final int[] cb = b;
            final int[] cc = c;
            final int[] cn = n;
            final int w = width;
            final int maxV = maxVal;
            final int nr = near;
            final int step = twoNearPlus1;
            final int wrap = range * twoNearPlus1;
            final int rst = reset;
            // a Golomb code with this many zeros or more is the escape code (T.87 A.5.3)
            final int escape = limit - qbpp - 1;
            final int losslessMask = near == 0 ? -1 : 0;
            long bb = buf;
            int nb = bits;
            int x = from;
            int raV = cur[x - 1];
            int rcV = prev[x - 1];
            int rbV = prev[x];
            while (x <= to) {
                int rdV = prev[x + 1];
                int qs = (q[rdV - rbV + qo] * 9 + q[rbV - rcV + qo]) * 9 + q[rcV - raV + qo];
                if (qs == 0) {
                    buf = bb;
                    bits = nb;
                    x += decodeRun(prev, cur, x, raV);
                    bb = buf;
                    nb = bits;
                    if (x <= w) {
                        raV = cur[x - 1];
                        rcV = prev[x - 1];
                        rbV = prev[x];
                    }
                    continue;
                }
                // prediction (T.87 A.4)
                // the median of Ra, Rb and Ra + Rb - Rc, i.e. Ra + Rb - Rc clamped to [min, max] of
                // Ra and Rb; branch-free (C1 emits no conditional moves; the branches mispredict)
                int dab = raV - rbV;
                dab &= dab >> 31;
                int lo = rbV + dab;
                int hi = raV - dab;
                int px = raV + rbV - rcV - lo;
                px = lo + (px & ~(px >> 31));
                px -= hi;
                px = hi + (px & (px >> 31));
                int sign = qs >> 31; // 0 or -1
                int ctx = (qs ^ sign) - sign;
                int bias = cc[ctx];
                px += (bias ^ sign) - sign;
                if (px < 0) {
                    px = 0;
                } else if (px > maxV) {
                    px = maxV;
                }
                int nn = cn[ctx];
                int aa = ca[ctx];
                // the least k with N << k >= A (T.87 A.5.1): 0 (most samples of a near-lossless scan)
                // by one test; 1..3 by counting the shifts that stay below A, without a branch (T.87's
                // loop, whose number of steps varies, mispredicts); beyond by the loop
                int k = 0;
                if (nn < aa) {
                    k = 1 + (((nn << 1) - aa) >>> 31) + (((nn << 2) - aa) >>> 31);
                    if (k == 3) {
                        while ((nn << k) < aa) {
                            k++;
                        }
                    }
                }
                // limited-length Golomb code (T.87 A.5.3): the unary part from the buffer when it
                // holds the whole of it, else (a refill, a long code, the escape) by decodeValue
                if (nb < 32) {
                    buf = bb;
                    bits = nb;
                    fill();
                    bb = buf;
                    nb = bits;
                }
                int m;
                // the unary part of most codes ends within the buffer's top byte: a table lookup, as
                // C1 makes Long.numberOfLeadingZeros a call (8: none in that byte, decodeValue reads on)
                int zeros = LEADING_ZEROS[(int) (bb >>> 56)];
                if (zeros < 8 && zeros < escape && k <= 30 && nb - zeros - 1 >= k) {
                    bb <<= zeros + 1;
                    // the k low bits, also for k = 0 (no branch: k varies from sample to sample)
                    m = (zeros << k) | (int) ((bb >>> 1) >>> (63 - k));
                    bb <<= k;
                    nb -= zeros + 1 + k;
                } else {
                    buf = bb;
                    bits = nb;
                    m = decodeValue(k, limit);
                    bb = buf;
                    nb = bits;
                }
                int err = (m >>> 1) ^ -(m & 1);
                int bv = cb[ctx];
                // lossless, k = 0 and 2B <= -N: the error is mapped the other way (T.87 A.5.2);
                // branch-free, as the condition changes from sample to sample
                err ^= ((k - 1) & (2 * bv + nn - 1) & losslessMask) >> 31;
                // update the context statistics (T.87 A.6)
                int errSign = err >> 31;
                aa += (err ^ errSign) - errSign;
                bv += err * step;
                if (nn == rst) {
                    aa >>= 1;
                    bv >>= 1;
                    nn >>= 1;
                }
                nn++;
                if (bv + nn <= 0) {
                    bv += nn;
                    if (bv <= -nn) {
                        bv = -nn + 1;
                    }
                    if (bias > -128) {
                        bias--;
                    }
                } else if (bv > 0) {
                    bv -= nn;
                    if (bv > 0) {
                        bv = 0;
                    }
                    if (bias < 127) {
                        bias++;
                    }
                }
                ca[ctx] = aa;
                cb[ctx] = bv;
                cc[ctx] = bias;
                cn[ctx] = nn;
                // reconstruction (T.87 A.4.4, modulo the range)
                int v = px + ((err ^ sign) - sign) * step;
                if (v < -nr) {
                    v += wrap;
                } else if (v > maxV + nr) {
                    v -= wrap;
                }
                if (v < 0) {
                    v = 0;
                } else if (v > maxV) {
                    v = maxV;
                }
                cur[x] = v;
                x++;
                raV = v;
                rcV = rbV;
                rbV = rdV;
            }
            buf = bb;
            bits = nb;
            return x;
        }

        /** Limited-length Golomb code (T.87 A.5.3). */
        private int decodeValue(int k, int lim) throws PixelDecodeException {
            if (bits < 32) {
                fill();
            }
            // the common case as in decodeSamples (unary part within the top byte, no escape)
            int zeros = LEADING_ZEROS[(int) (buf >>> 56)];
            if (zeros < 8 && zeros < lim - qbpp - 1 && k <= 30 && bits - zeros - 1 >= k) {
                long bb = buf << zeros + 1;
                int m = (zeros << k) | (int) ((bb >>> 1) >>> (63 - k));
                buf = bb << k;
                bits -= zeros + 1 + k;
                return m;
            }
            int high = readZeros(lim - qbpp - 1);
            if (high >= lim - (qbpp + 1)) {
                return take(qbpp) + 1;
            }
            if (k == 0) {
                return high;
            }
            if (k > 30) {
                throw new PixelDecodeException(CODEC + ": invalid Golomb parameter (corrupt data)");
            }
            return (high << k) | take(k);
        }

        /** Run mode (T.87 A.7); returns the number of samples written starting at x. */
        private int decodeRun(int[] prev, int[] cur, int x, int raV) throws PixelDecodeException {
            int remaining = width - x + 1;
            int count = 0;
            int ri = runIndex;
            // the run's bits from the buffer in locals (C1: no call per bit). They fit in 48 bits
            // whatever the data: at most 32 one bits (the 32 steps of J add up to 65,820, more than
            // the longest line), a zero bit and at most 15 bits of J
            if (bits < 49) {
                fill();
            }
            long bb = buf;
            int nb = bits;
            while (true) {
                boolean one = bb < 0;
                bb <<= 1;
                nb--;
                if (!one) {
                    break;
                }
                int rg = 1 << J[ri];
                int step = Math.min(rg, remaining - count);
                count += step;
                if (step == rg && ri < 31) {
                    ri++;
                }
                if (count == remaining) {
                    break;
                }
            }
            if (count != remaining) {
                // J[ri] (at most 15) more bits: the rest of the run
                int jbits = J[ri];
                count += (int) ((bb >>> 1) >>> (63 - jbits));
                bb <<= jbits;
                nb -= jbits;
                if (count > remaining) {
                    throw new PixelDecodeException(CODEC + ": run length past the end of the line (corrupt data)");
                }
            }
            for (int i = 0; i < count; i++) {
                cur[x + i] = raV;
            }
            if (count == remaining) {
                buf = bb;
                bits = nb;
                runIndex = ri;
                return count;
            }
            // run interruption sample (T.87 A.7.2), here rather than in calls (C1 inlines none)
            int xi = x + count;
            int rbV = prev[xi];
            int diff = raV - rbV;
            int riType = diff <= near && diff >= -near ? 1 : 0;
            int nn = rn[riType];
            int temp = ra[riType] + (nn >> 1) * riType;
            int k = 0;
            while ((nn << k) < temp) {
                k++;
            }
            buf = bb;
            bits = nb;
            int em = decodeValue(k, limit - J[ri] - 1);
            int t = em + riType;
            int map = t & 1;
            int errAbs = (t + map) >> 1;
            // negative when (k > 0 or 2 Nn >= N) equals map (T.87 A.7.2.2)
            int negative = ((-k >>> 31) | (((2 * rnn[riType] - nn) >>> 31) ^ 1)) ^ map ^ 1;
            int err = (errAbs ^ -negative) + negative;
            rnn[riType] += err >>> 31;
            ra[riType] += (em + 1 - riType) >> 1;
            if (nn == reset) {
                ra[riType] >>= 1;
                nn >>= 1;
                rnn[riType] >>= 1;
            }
            rn[riType] = nn + 1;
            // reconstruction from Ra (RItype 1) or Rb, the error's sign by Rb < Ra (RItype 0)
            int px = riType == 1 ? raV : rbV;
            if (riType == 0 && rbV < raV) {
                err = -err;
            }
            int v = px + err * twoNearPlus1;
            if (v < -near) {
                v += range * twoNearPlus1;
            } else if (v > maxVal + near) {
                v -= range * twoNearPlus1;
            }
            if (v < 0) {
                v = 0;
            } else if (v > maxVal) {
                v = maxVal;
            }
            cur[xi] = v;
            runIndex = ri > 0 ? ri - 1 : 0;
            return count + 1;
        }
    }
}
