package org.cxr.events;

import java.time.Instant;

/**
 * One delivery of a record to a stage, as a dead letter's attempt history tells it.
 *
 * @param by      the process that ran it ({@code host/pid})
 * @param outcome {@link #FAILED} (the handler threw {@code error}) or {@link #PROCESS_ENDED} (the
 *                process ended while it ran: killed, out of memory, a native crash)
 */
public record DeliveryAttempt(int number, Instant startedAt, String by, String outcome, String error) {
    public static final String FAILED = "failed";
    public static final String PROCESS_ENDED = "process-ended";
}
