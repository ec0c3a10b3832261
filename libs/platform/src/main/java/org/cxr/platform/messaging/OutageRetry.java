package org.cxr.platform.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.cxr.platform.storage.ObjectStoreException;

/**
 * Waits out outages of the object store or the broker: runs a call until it succeeds, sleeping
 * between attempts (the first delay doubling up to a maximum). Each pause is drawn between half
 * and all of that delay ("equal jitter"), so that replicas waiting on the same store do not all
 * call it again at the same instant when it comes back. Only outages are retried: an
 * unreachable store ({@link ObjectStoreException} that is not {@code notFound()}) or a broker that
 * refused or did not acknowledge ({@link BrokerUnavailableException}). Anything else, a missing
 * object included, is thrown at once. Consumers use it so that an outage delays an event instead
 * of dead-lettering it; {@code stopping} ends the wait at shutdown by throwing the last failure.
 */
public final class OutageRetry {
    /** Told before each pause (for logs and a retry counter). */
    @FunctionalInterface
    public interface Listener {
        void retrying(String what, RuntimeException failure, Duration pause);
    }

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final BooleanSupplier stopping;
    private final Listener listener;
    /** Uniform in [0, 1). */
    private final DoubleSupplier random;

    public OutageRetry(Duration initialDelay, Duration maxDelay, BooleanSupplier stopping, Listener listener) {
        this(initialDelay, maxDelay, stopping, listener, () -> ThreadLocalRandom.current().nextDouble());
    }

    OutageRetry(Duration initialDelay, Duration maxDelay, BooleanSupplier stopping, Listener listener,
            DoubleSupplier random) {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.stopping = stopping;
        this.listener = listener;
        this.random = random;
    }

    /** Whether a failure is an outage of the store or the broker (retried), rather than an answer. */
    public static boolean isOutage(Throwable e) {
        return e instanceof ObjectStoreException s && !s.notFound() || e instanceof BrokerUnavailableException;
    }

    /** The call's result once it succeeds; a failure that is not an outage is thrown at once. */
    public <T> T call(String what, Supplier<T> call) {
        Duration delay = initialDelay;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!isOutage(e) || stopping.getAsBoolean()) {
                    throw e;
                }
                Duration pause = jittered(delay);
                listener.retrying(what, e, pause);
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            }
        }
    }

    private Duration jittered(Duration delay) {
        return equalJitter(delay, random.getAsDouble());
    }

    /** A pause between half and all of {@code delay}, {@code uniform} in [0, 1) choosing where. */
    public static Duration equalJitter(Duration delay, double uniform) {
        long half = delay.toNanos() / 2;
        return Duration.ofNanos(half + (long) (uniform * (delay.toNanos() - half)));
    }

    /** {@link #call} for a call without a result. */
    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
