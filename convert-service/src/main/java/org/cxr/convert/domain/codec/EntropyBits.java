package org.cxr.convert.domain.codec;

/**
 * The entropy-coded data of a JPEG-family scan as a stream of bits: a 64-bit buffer, most
 * significant bit first, filled a word at a time while no 0xFF byte is near (the common case) and
 * otherwise byte by byte by the codestream's stuffing rule (T.81: 0xFF 0x00 is a data byte 0xFF;
 * T.87: the byte after a 0xFF data byte carries 7 bits). Where the data ends (a marker, or the end
 * of the stream) it goes on with zero bits and counts them, so that a decoder reads on and then
 * learns from {@link #overrun} that it used bits past its data. Not thread-safe: one per decode.
 * (The rule is a flag, not a subclass: a decoder's hot loop then never meets a second override.)
 */
class EntropyBits {
    final byte[] src;
    /** T.87 bit stuffing (JPEG-LS); else T.81 byte stuffing. */
    private final boolean bitStuffing;
    /** T.87: the last byte was a 0xFF data byte. */
    private boolean afterFF;
    /** Read position in the data. */
    int pos;
    /** Buffered bits, most significant first; the top {@link #bits} of them are valid. */
    long buf;
    int bits;
    /** Where the marker (or the end of the stream) that ends the data is; -1 until it is found. */
    int markerPos = -1;
    private int padBits;

    EntropyBits(byte[] src, int pos, boolean bitStuffing) {
        this.src = src;
        this.pos = pos;
        this.bitStuffing = bitStuffing;
    }

    /** Reads on from {@code at} with an empty buffer (a new scan, or after a restart marker). */
    void restartAt(int at) {
        pos = at;
        buf = 0;
        bits = 0;
        markerPos = -1;
        padBits = 0;
        afterFF = false;
    }

    /** Fills the buffer to more than 56 valid bits. */
    final void fill() {
        int whole = markerPos < 0 && !afterFF ? CodecSupport.wholeBytes(src, pos, src.length, bits) : 0;
        if (whole > 0) {
            buf = CodecSupport.append(buf, bits, src, pos, whole);
            bits += 8 * whole;
            pos += whole;
            return;
        }
        while (bits <= 56) {
            if (markerPos >= 0) {
                bits += 8; // past the data: zeros, counted
                padBits += 8;
            } else if (pos >= src.length) {
                markerPos = pos;
            } else {
                appendByte();
            }
        }
    }

    /**
     * Appends the data byte at {@link #pos} (7 or 8 bits) and moves past it, or sets {@link
     * #markerPos} when a marker starts there.
     */
    private void appendByte() {
        int v = src[pos] & 0xFF;
        if (bitStuffing) {
            if (afterFF) {
                afterFF = false;
                pos++;
                append(v, 7);
            } else if (v == 0xFF && (pos + 1 >= src.length || (src[pos + 1] & 0xFF) >= 0x80)) {
                markerPos = pos; // T.87 A.1: 0xFF then a byte of 0x80 or more is a marker
            } else {
                afterFF = v == 0xFF;
                pos++;
                append(v, 8);
            }
        } else if (v != 0xFF) {
            pos++;
            append(v, 8);
        } else {
            int q = afterFillBytes(pos);
            if (q < src.length && src[q] == 0) {
                pos = q + 1; // T.81 B.1.1.5: 0xFF 0x00 (after any 0xFF fill bytes) is a data byte 0xFF
                append(0xFF, 8);
            } else {
                markerPos = pos;
            }
        }
    }

    /** The position of the first byte after the 0xFF at {@code p} and any 0xFF fill bytes after it. */
    final int afterFillBytes(int p) {
        int q = p + 1;
        while (q < src.length && (src[q] & 0xFF) == 0xFF) {
            q++;
        }
        return q;
    }

    private void append(int value, int n) {
        buf |= (long) value << (64 - n - bits);
        bits += n;
    }

    /** The next {@code n} bits (0..32) as an unsigned value. */
    final int take(int n) {
        if (n == 0) {
            return 0;
        }
        if (bits < n) {
            fill();
        }
        int v = (int) (buf >>> (64 - n));
        buf <<= n;
        bits -= n;
        return v;
    }

    /** Whether the decoder used bits past the end of the data. */
    final boolean overrun() {
        return padBits - bits > 0;
    }
}
