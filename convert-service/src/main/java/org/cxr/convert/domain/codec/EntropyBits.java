package org.cxr.convert.domain.codec;

/**
 * The entropy-coded data of a JPEG-family scan as a stream of bits: a 64-bit buffer, most
 * significant bit first, filled a word at a time while no 0xFF byte is near (the common case) and
 * otherwise byte by byte by the codestream's own rule ({@link #appendByte}: T.81 0xFF 0x00
 * stuffing, T.87 a stuffed 0 bit after 0xFF). Where the data ends (a marker, or the end of the
 * stream) it goes on with zero bits and counts them, so that a decoder reads on and then learns
 * from {@link #overrun} that it used bits past its data. Not thread-safe: one per decode.
 */
abstract class EntropyBits {
    final byte[] src;
    /** Read position in the data. */
    int pos;
    /** Buffered bits, most significant first; the top {@link #bits} of them are valid. */
    long buf;
    int bits;
    /** Where the marker (or the end of the stream) that ends the data is; -1 until it is found. */
    int markerPos = -1;
    private int padBits;

    EntropyBits(byte[] src, int pos) {
        this.src = src;
        this.pos = pos;
    }

    /** Reads on from {@code at} with an empty buffer (a new scan, or after a restart marker). */
    void restartAt(int at) {
        pos = at;
        buf = 0;
        bits = 0;
        markerPos = -1;
        padBits = 0;
    }

    /** Fills the buffer to more than 56 valid bits. */
    final void fill() {
        int whole = markerPos < 0 && plainBytes() ? CodecSupport.wholeBytes(src, pos, src.length, bits) : 0;
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
     * Appends the data byte at {@link #pos} (7 or 8 bits, after the codestream's stuffing rule) and
     * moves past it, or sets {@link #markerPos} when a marker starts there.
     */
    abstract void appendByte();

    /** Whether the next 8 bytes may be taken as plain bytes when none is 0xFF (false in the middle of a stuffing). */
    boolean plainBytes() {
        return true;
    }

    /** Appends {@code n} bits of {@code value}. */
    final void append(int value, int n) {
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
