package org.cxr.catalog.rest;

/**
 * The one byte range of a {@code Range} request header (RFC 9110 §14.1.2) that the release
 * downloads serve, resolved against a representation of {@code size} bytes. {@link #of} answers
 * {@code null} when the whole representation is to be sent (no header, another unit, several ranges,
 * which a server may answer in full) and {@link #UNSATISFIABLE} for a {@code bytes=} range that
 * is malformed or starts past the end (answered 416 with {@code Content-Range: bytes *}/size).
 */
record ByteRange(long first, long last) {
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    static ByteRange of(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return null;
        }
        String spec = h.substring(eq + 1).strip();
        if (spec.indexOf(',') >= 0) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return UNSATISFIABLE;
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) { // suffix: the last n bytes
                long n = digits(b);
                return n == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - n), size - 1);
            }
            long first = digits(a);
            long last = b.isEmpty() ? size - 1 : digits(b);
            if (last < first || first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return UNSATISFIABLE;
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }
}
