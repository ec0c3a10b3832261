package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Outages are waited out with a growing pause; answers (a missing object, a bug) are not. */
class OutageRetryTest {
    /** A store nobody listens for: every call fails as an outage, the way a stopped MinIO does. */
    static final ObjectStore DOWN = new ObjectStore("http://127.0.0.1:1", "a", "b");

    @AfterAll
    static void close() {
        DOWN.close();
    }

    record Pause(String what, Duration pause) {
    }

    @Test
    void retriesAStoreOutageWithDoublingPausesUntilTheCallSucceeds() {
        List<Pause> pauses = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        // the largest jitter draw: every pause is the whole delay
        OutageRetry retry = new OutageRetry(Duration.ofMillis(10), Duration.ofMillis(25), () -> false,
                (what, e, pause) -> pauses.add(new Pause(what, pause)), () -> 0.999_999_999);
        String result = retry.call("read", () -> attempts.incrementAndGet() <= 4
                ? new String(DOWN.get("cxr-dicom", "k")) : "read at last");
        assertThat(result).isEqualTo("read at last");
        assertThat(attempts).hasValue(5);
        assertThat(pauses).extracting(p -> p.pause().toMillis()).containsExactly(9L, 19L, 24L, 24L);
        assertThat(pauses).extracting(Pause::what).containsOnly("read");
    }

    @Test
    void pausesAreSpreadBetweenHalfAndAllOfTheDelaySoReplicasDoNotRetryInLockstep() {
        List<Duration> pauses = new ArrayList<>();
        OutageRetry retry = new OutageRetry(Duration.ofMillis(4), Duration.ofMillis(4), () -> false,
                (what, e, pause) -> pauses.add(pause));
        AtomicInteger attempts = new AtomicInteger();
        retry.run("send", () -> {
            if (attempts.incrementAndGet() <= 40) {
                throw new BrokerUnavailableException("refused", null);
            }
        });
        assertThat(pauses).hasSize(40).allSatisfy(p -> assertThat(p).isBetween(Duration.ofMillis(2), Duration.ofMillis(4)));
        assertThat(pauses.stream().distinct().count()).as("distinct pauses").isGreaterThan(30);
    }

    @Test
    void retriesABrokerThatRefused() {
        AtomicInteger attempts = new AtomicInteger();
        OutageRetry retry = new OutageRetry(Duration.ofMillis(1), Duration.ofMillis(1), () -> false, (w, e, p) -> { });
        retry.run("send", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new BrokerUnavailableException("refused", null);
            }
        });
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aMissingObjectOrABugIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        OutageRetry retry = new OutageRetry(Duration.ofMillis(1), Duration.ofMillis(1), () -> false, (w, e, p) -> { });
        assertThatThrownBy(() -> retry.call("read", () -> {
            attempts.incrementAndGet();
            throw new ObjectStoreException("no such key", null, true);
        })).isInstanceOf(ObjectStoreException.class);
        assertThatThrownBy(() -> retry.call("convert", () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bug");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(2);
        assertThat(OutageRetry.isOutage(new ObjectStoreException("down", null, false))).isTrue();
        assertThat(OutageRetry.isOutage(new ObjectStoreException("gone", null, true))).isFalse();
    }

    @Test
    void stopsWaitingWhenTheServiceStops() {
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        OutageRetry retry = new OutageRetry(Duration.ofMillis(1), Duration.ofMillis(1), stopping::get, (w, e, p) -> { });
        assertThatThrownBy(() -> retry.call("read", () -> {
            if (attempts.incrementAndGet() == 3) {
                stopping.set(true);
            }
            return DOWN.get("cxr-dicom", "k");
        })).isInstanceOf(ObjectStoreException.class).matches(OutageRetry::isOutage);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        OutageRetry retry = new OutageRetry(Duration.ofSeconds(30), Duration.ofSeconds(30), () -> false, (w, e, p) -> { });
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.call("read", () -> DOWN.get("cxr-dicom", "k")))
                    .isInstanceOf(ObjectStoreException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
