package org.cxr.ingest.service;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.ingest.config.IngestConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bounds what uploads hold at once, so that no mix of large, many or hostile uploads can exhaust
 * the heap: the bytes of bodies in flight (in memory or spooled to disk,
 * {@code cxr.ingest.max-bytes-in-flight}) and the memory they take
 * ({@code cxr.ingest.max-memory-bytes}). A body held in memory costs three times its size (the
 * body, its de-identified copy, what the parser and the store client keep meanwhile); a spooled one
 * costs {@link #STREAMED_COST} (its header, the copy buffers, the store client's part buffer).
 * Reservations never wait: one that does not fit is refused and the caller answers 503 with
 * Retry-After.
 */
@ApplicationScoped
public class IntakeBudget {
    /** Memory a body streamed from a file takes while it is processed. */
    static final long STREAMED_COST = 32L << 20;

    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry metrics;

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong memory = new AtomicLong();

    void init(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev) {
        Gauge.builder("cxr.ingest.bytes.in.flight", bytes, AtomicLong::get).register(metrics);
        Gauge.builder("cxr.ingest.memory.in.flight", memory, AtomicLong::get).register(metrics);
    }

    /** What one body holds; release it when the body is done with. */
    public final class Reservation implements AutoCloseable {
        private long bytesHeld;
        private final long memoryHeld;
        private final boolean inMemory;
        private boolean released;

        private Reservation(long bytesHeld, long memoryHeld, boolean inMemory) {
            this.bytesHeld = bytesHeld;
            this.memoryHeld = memoryHeld;
            this.inMemory = inMemory;
        }

        /** True when the body may be held in memory (its memory was reserved), else it must be spooled. */
        public boolean inMemory() {
            return inMemory;
        }

        /** More bytes of a body whose size was not declared; false when they do not fit. */
        public boolean grow(long more) {
            if (!take(bytes, more, config.maxBytesInFlight())) {
                return false;
            }
            bytesHeld += more;
            return true;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                bytes.addAndGet(-bytesHeld);
                memory.addAndGet(-memoryHeld);
            }
        }
    }

    /**
     * Reserves room for a body of {@code size} bytes (-1: not declared; it then grows as it arrives):
     * in memory when it is small and the memory fits, else spooled. Null when it does not fit at all.
     */
    public Reservation reserve(long size) {
        long declared = Math.max(0, size);
        if (!take(bytes, declared, config.maxBytesInFlight())) {
            return null;
        }
        long mem = size >= 0 && size <= config.inMemoryBytes() ? 3 * Math.max(size, 1) : -1;
        if (mem > 0 && take(memory, mem, memoryLimit())) {
            return new Reservation(declared, mem, true);
        }
        if (take(memory, STREAMED_COST, memoryLimit())) {
            return new Reservation(declared, STREAMED_COST, false);
        }
        bytes.addAndGet(-declared);
        return null;
    }

    long memoryLimit() {
        return config.maxMemoryBytes().orElse(Runtime.getRuntime().maxMemory() / 4);
    }

    private static boolean take(AtomicLong counter, long amount, long limit) {
        while (true) {
            long cur = counter.get();
            if (amount > 0 && cur + amount > limit) {
                return false;
            }
            if (counter.compareAndSet(cur, cur + amount)) {
                return true;
            }
        }
    }
}
