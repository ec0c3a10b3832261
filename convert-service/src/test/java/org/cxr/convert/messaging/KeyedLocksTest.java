package org.cxr.convert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class KeyedLocksTest {
    @Test
    void theSameKeyWaitsOtherKeysDoNotAndNothingIsKeptAfterwards() throws Exception {
        KeyedLocks locks = new KeyedLocks();
        CountDownLatch otherKeyDone = new CountDownLatch(1);
        AtomicBoolean sameKeyEntered = new AtomicBoolean();
        Thread sameKey;
        try (KeyedLocks.Held held = locks.lock("a")) {
            Thread otherKey = new Thread(() -> {
                try (KeyedLocks.Held h = locks.lock("b")) {
                    otherKeyDone.countDown();
                }
            });
            otherKey.start();
            assertThat(otherKeyDone.await(5, TimeUnit.SECONDS)).isTrue();
            sameKey = new Thread(() -> {
                try (KeyedLocks.Held h = locks.lock("a")) {
                    sameKeyEntered.set(true);
                }
            });
            sameKey.start();
            sameKey.join(300);
            assertThat(sameKeyEntered).isFalse();
        }
        sameKey.join(5000);
        assertThat(sameKeyEntered).isTrue();
        assertThat(locks.size()).isZero();
    }
}
