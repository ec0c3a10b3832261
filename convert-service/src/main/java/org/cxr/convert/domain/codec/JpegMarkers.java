package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * Walks the marker segments of a JPEG-family codestream (ITU-T T.81 B.1; JPEG-LS, T.87, uses the
 * same syntax): SOI first, then each {@link #next} finds the following marker, skipping fill bytes
 * and stand-alone markers (RSTn, TEM, a repeated SOI), and checks a segment's length against the
 * data. The one marker reader of {@link JpegCodestream} (T.81 Huffman decoders), {@link
 * JpegLsDecoder} and {@link FrameHeader#of}. One instance per codestream (not thread-safe).
 */
final class JpegMarkers {
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int DHT = 0xC4;
    static final int DQT = 0xDB;
    static final int DRI = 0xDD;
    /** Arithmetic coding conditioning (DAC): its SOFn markers are the ones with bit 3 set. */
    static final int DAC = 0xCC;
    /** JPEG-LS frame header and preset parameters. */
    static final int SOF55 = 0xF7;
    static final int LSE = 0xF8;

    private final String codec;
    final byte[] src;
    /** Where the search for the next marker starts: after {@link #next}, the end of its segment. */
    int pos;
    /** Payload of the last marker segment read: {@code src[segmentStart .. segmentEnd)}. */
    int segmentStart;
    int segmentEnd;

    JpegMarkers(String codec, byte[] src) throws PixelDecodeException {
        this.codec = codec;
        this.src = src;
        if (src.length < 4 || (src[0] & 0xFF) != 0xFF || (src[1] & 0xFF) != SOI) {
            throw error("no SOI marker at the start of the codestream");
        }
        pos = 2;
    }

    PixelDecodeException error(String message) {
        return new PixelDecodeException(codec + ": " + message);
    }

    /** A frame header marker SOFn (n = 0..15 except DHT, JPG and DAC), or JPEG-LS's SOF55. */
    static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != DHT && marker != 0xC8 && marker != DAC
                || marker == SOF55;
    }

    /**
     * The next marker with a segment, or EOI. {@code truncated} names what is missing when the
     * data ends first (e.g. "before the frame header").
     */
    int next(String truncated) throws PixelDecodeException {
        while (true) {
            int marker = find(truncated);
            if (marker == EOI) {
                return EOI;
            }
            if (marker == SOI || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue; // stand-alone markers
            }
            if (pos + 2 > src.length) {
                throw error("codestream truncated in a marker segment");
            }
            int len = CodecSupport.u16(src, pos);
            if (len < 2 || pos + len > src.length) {
                throw error("marker segment 0xFF" + hex(marker) + " of length " + len + " runs past the end");
            }
            segmentStart = pos + 2;
            segmentEnd = pos + len;
            pos = segmentEnd;
            return marker;
        }
    }

    private int find(String truncated) throws PixelDecodeException {
        while (pos + 1 < src.length) {
            if ((src[pos] & 0xFF) == 0xFF) {
                int m = src[pos + 1] & 0xFF;
                if (m != 0xFF && m != 0) {
                    pos += 2;
                    return m;
                }
            }
            pos++;
        }
        throw error("codestream truncated " + truncated);
    }

    static String hex(int marker) {
        return Integer.toHexString(marker).toUpperCase();
    }
}
