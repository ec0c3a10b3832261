package org.cxr.convert.domain;

import java.util.concurrent.Semaphore;

/**
 * Caps the bytes of decoded pixels held at once by concurrent conversions (a 3000x3000 image is
 * 36 MB as int samples): a conversion acquires its estimate before allocating and releases it after.
 * A request larger than the whole budget takes the whole budget (so it runs alone).
 */
public final class MemoryBudget {
    private static final int UNIT = 1 << 10; // permits are KiB

    private final Semaphore permits;
    private final int total;

    public MemoryBudget(long bytes) {
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
        this.permits = new Semaphore(total, true);
    }

    /** No limit. */
    public static MemoryBudget unlimited() {
        return new MemoryBudget((long) Integer.MAX_VALUE * UNIT);
    }

    /** Blocks until {@code bytes} are available; returns a handle that releases them. */
    public Lease acquire(long bytes) throws InterruptedException {
        int n = (int) Math.max(1, Math.min(total, (bytes + UNIT - 1) / UNIT));
        permits.acquire(n);
        return new Lease(n);
    }

    public long totalBytes() {
        return (long) total * UNIT;
    }

    /** Held bytes; closing releases them (once). */
    public final class Lease implements AutoCloseable {
        private int held;

        private Lease(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            if (held > 0) {
                permits.release(held);
                held = 0;
            }
        }
    }
}
