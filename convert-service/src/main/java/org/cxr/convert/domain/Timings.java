package org.cxr.convert.domain;

/** Where the time of one conversion went, in nanoseconds. */
public record Timings(long readNanos, long decodeNanos, long recipeNanos, long encodeNanos, long totalNanos) {
    public static final Timings NONE = new Timings(0, 0, 0, 0, 0);

    public double decodeMillis() {
        return decodeNanos / 1e6;
    }

    public double totalMillis() {
        return totalNanos / 1e6;
    }
}
