package org.cxr.ingest.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A multipart/related body (RFC 2387, as STOW-RS sends it) split into its parts. The body is a
 * buffer (a spooled request is memory-mapped, so it is not on the heap); part bodies are views of
 * their byte ranges, copied only by their reader.
 */
public final class MultipartRelated {
    /** One part: its headers (lower-case names) and body (a read-only view of the request's bytes). */
    public record Part(Map<String, String> headers, ByteBuffer content) {
        public String contentType() {
            return headers.get("content-type");
        }

        public int size() {
            return content.remaining();
        }

        /** A copy of the body. */
        public byte[] body() {
            byte[] b = new byte[content.remaining()];
            content.duplicate().get(b);
            return b;
        }
    }

    private MultipartRelated() {
    }

    /** The boundary parameter of a Content-Type, unquoted; null when absent. */
    public static String boundary(String contentType) {
        return parameter(contentType, "boundary");
    }

    /** A parameter of a header value ({@code type=...; boundary="..."}), unquoted, or null. */
    public static String parameter(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        for (String p : headerValue.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException when the body is not multipart with this boundary */
    public static List<Part> parse(byte[] body, String boundary) {
        return parse(ByteBuffer.wrap(body), boundary);
    }

    /** @throws IllegalArgumentException when the body is not multipart with this boundary */
    public static List<Part> parse(ByteBuffer body, String boundary) {
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("no boundary in Content-Type");
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delim, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("boundary not found in the body");
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int after = pos + delim.length;
            if (after + 1 < body.limit() && body.get(after) == '-' && body.get(after + 1) == '-') {
                return parts; // closing delimiter
            }
            int headersStart = skipLineEnd(body, after);
            Map<String, String> headers = new LinkedHashMap<>();
            int bodyStart;
            if (headersStart + 1 < body.limit() && body.get(headersStart) == '\r' && body.get(headersStart + 1) == '\n') {
                bodyStart = headersStart + 2; // no headers
            } else {
                int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
                if (headersEnd < 0) {
                    throw new IllegalArgumentException("part " + (parts.size() + 1) + " has no end of headers");
                }
                byte[] headBytes = new byte[headersEnd - headersStart];
                body.duplicate().position(headersStart).get(headBytes);
                String head = new String(headBytes, StandardCharsets.ISO_8859_1);
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                bodyStart = headersEnd + 4;
            }
            byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int end = indexOf(body, next, bodyStart);
            if (end < 0) {
                throw new IllegalArgumentException("part " + (parts.size() + 1) + " has no closing boundary");
            }
            parts.add(new Part(headers, body.duplicate().position(bodyStart).limit(end).slice().asReadOnlyBuffer()));
            pos = end + 2;
        }
    }

    private static int skipLineEnd(ByteBuffer b, int p) {
        while (p < b.limit() && (b.get(p) == ' ' || b.get(p) == '\t')) {
            p++; // transport padding after the delimiter
        }
        if (p + 1 < b.limit() && b.get(p) == '\r' && b.get(p + 1) == '\n') {
            return p + 2;
        }
        throw new IllegalArgumentException("malformed delimiter line");
    }

    static int indexOf(ByteBuffer hay, byte[] needle, int from) {
        int last = hay.limit() - needle.length;
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (hay.get(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (hay.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
