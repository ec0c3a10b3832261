package org.cxr.convert.domain.pixels;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Sample arrays passed back by whoever is done with a decoded frame, zeroed, for the next decode
 * of the same size. A fresh array of a 2000x2000 image is 16 MB the decoding thread would zero
 * (and, while the heap grows, fault in page by page); a recycled one is zeroed by the thread that
 * hands it back, which in the CLI is the finishing thread, not the decoding thread. So a
 * {@link #take} is exactly what {@code new int[n]} would be. Holds at most {@code capacity} idle
 * arrays (the oldest goes first); thread-safe.
 */
public final class SampleBuffers {
    /** Recycles nothing: every {@link #take} allocates. */
    public static final SampleBuffers NONE = new SampleBuffers(0);

    /** Copied over a recycled array: System.arraycopy is a memory copy under C1 too, Arrays.fill a loop (3x slower). */
    private static final int[] ZEROS = new int[1 << 14];

    private final int capacity;
    private final ArrayDeque<int[]> idle = new ArrayDeque<>();

    public SampleBuffers(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
    }

    /** An array of {@code n} zeros: an idle one of that length, else a new one. */
    public int[] take(int n) {
        if (capacity > 0) {
            synchronized (idle) {
                for (Iterator<int[]> it = idle.iterator(); it.hasNext(); ) {
                    int[] a = it.next();
                    if (a.length == n) {
                        it.remove();
                        return a;
                    }
                }
            }
        }
        return new int[n];
    }

    /** Zeroes {@code samples}, which the caller no longer uses (nor anyone else), and keeps them for a {@link #take}. */
    public void recycle(int[] samples) {
        if (capacity == 0) {
            return;
        }
        for (int p = 0; p < samples.length; p += ZEROS.length) {
            System.arraycopy(ZEROS, 0, samples, p, Math.min(ZEROS.length, samples.length - p));
        }
        synchronized (idle) {
            if (idle.size() == capacity) {
                idle.removeFirst();
            }
            idle.addLast(samples);
        }
    }

    /** Idle arrays held (for tests). */
    int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }
}
