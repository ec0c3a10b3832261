package org.cxr.catalog.domain.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StageHealthTest {
    static final Duration W = Duration.ofMinutes(5);
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static List<StageHealth.Sample> lags(long... values) {
        List<StageHealth.Sample> s = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            s.add(new StageHealth.Sample(T.plusSeconds(30L * i), values[i]));
        }
        return s;
    }

    @Test
    void aGroupWithoutConsumersAndRecordsWaitingIsDown() {
        assertThat(StageHealth.of(0, lags(5, 20, 40), W)).isEqualTo(StageHealth.DOWN);
        assertThat(StageHealth.of(0, lags(0, 0), W)).isEqualTo(StageHealth.IDLE);
    }

    @Test
    void growingLagIsFallingBehindAndShrinkingLagIsCatchingUp() {
        assertThat(StageHealth.of(2, lags(100, 150, 150, 300, 420), W)).isEqualTo(StageHealth.FALLING_BEHIND);
        assertThat(StageHealth.of(2, lags(420, 300, 310, 200), W)).isEqualTo(StageHealth.CATCHING_UP);
        // a dip inside the window: it is keeping up, not falling behind
        assertThat(StageHealth.of(2, lags(100, 150, 90, 300, 120), W)).isEqualTo(StageHealth.OK);
    }

    @Test
    void noiseLevelLagOrTooFewSamplesIsOk() {
        assertThat(StageHealth.of(1, lags(0, 3, 8), W)).isEqualTo(StageHealth.OK);
        assertThat(StageHealth.of(1, lags(50, 400), W)).isEqualTo(StageHealth.OK);
        assertThat(StageHealth.of(-1, lags(50), W)).isEqualTo(StageHealth.UNKNOWN);
    }

    @Test
    void onlyTheWindowCounts() {
        // 20 samples 30 s apart: the first nine are older than the 5-minute window (a falling lag there does not count)
        long[] v = new long[20];
        for (int i = 0; i < 20; i++) {
            v[i] = i < 9 ? 1000 - i : 100 + 10L * i;
        }
        assertThat(StageHealth.of(1, lags(v), W)).isEqualTo(StageHealth.FALLING_BEHIND);
    }
}
