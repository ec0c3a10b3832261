package org.cxr.catalog.domain.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a consumer group is doing, from what the broker says: its members and its lag over time.
 * <ul>
 * <li>DOWN: records wait and no consumer is in the group (the stage is not running);</li>
 * <li>FALLING_BEHIND: the lag grew over the whole trend window (the stage is slower than its input);</li>
 * <li>CATCHING_UP: there is lag, and it is lower than at the start of the window;</li>
 * <li>OK: no lag, or a steady one;</li>
 * <li>IDLE: no consumer and nothing to read;</li>
 * <li>UNKNOWN: the broker could not be asked.</li>
 * </ul>
 */
public enum StageHealth {
    OK, CATCHING_UP, FALLING_BEHIND, DOWN, IDLE, UNKNOWN;

    /** A total lag of a group at one time. */
    public record Sample(Instant at, long lag) {
    }

    /** Lag above this (records) counts; a few records in flight are normal. */
    public static final long NOISE = 10;

    /**
     * @param members consumers in the group now, or -1 when unknown
     * @param trend   the group's total lag, oldest first, over the trend window (last = now)
     * @param window  how far back the trend is judged
     */
    public static StageHealth of(int members, List<Sample> trend, Duration window) {
        if (members < 0 || trend.isEmpty()) {
            return UNKNOWN;
        }
        long now = trend.get(trend.size() - 1).lag();
        if (members == 0) {
            return now > 0 ? DOWN : IDLE;
        }
        if (now <= NOISE) {
            return OK;
        }
        Instant since = trend.get(trend.size() - 1).at().minus(window);
        List<Sample> recent = trend.stream().filter(s -> !s.at().isBefore(since)).toList();
        if (recent.size() < 3) {
            return OK;
        }
        long first = recent.get(0).lag();
        boolean neverFell = true;
        for (int i = 1; i < recent.size(); i++) {
            if (recent.get(i).lag() < recent.get(i - 1).lag()) {
                neverFell = false;
                break;
            }
        }
        if (now > first + NOISE && neverFell) {
            return FALLING_BEHIND;
        }
        return now < first ? CATCHING_UP : OK;
    }
}
