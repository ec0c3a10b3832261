package org.cxr.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.cxr.platform.messaging.OutageRetry;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.junit.jupiter.api.Test;

/** A stalled store costs a call its timeouts (seconds), not the SDK's 5 minutes. */
class ObjectStoreTimeoutTest {
    @Test
    void aStoreThatAcceptsButNeverAnswersFailsWithinItsReadTimeoutAsAnOutage() throws Exception {
        // the kernel accepts connections into the backlog; nobody ever answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ObjectStore stalled = new ObjectStore("http://127.0.0.1:" + silent.getLocalPort(), "a", "b",
                     new ObjectStore.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> stalled.get("cxr-dicom", "k")).isInstanceOf(ObjectStoreException.class)
                    .matches(OutageRetry::isOutage);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        }
    }
}
