package org.cxr.ingest.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.cxr.ingest.domain.intake.Outcome;

/**
 * The live counters of one import (thread-safe) and their JSON view. Each file is counted once:
 * as an instance or report outcome, as skipped, or as failed (a transient error that outlasted the
 * retries).
 */
public final class ImportTally {
    public enum State { RUNNING, DONE, FAILED, INTERRUPTED }

    final UUID id;
    final String path;
    final String layout;
    final Instant startedAt;
    volatile State state = State.RUNNING;
    volatile Instant finishedAt;
    volatile String error;
    final AtomicLong filesTotal = new AtomicLong();
    final AtomicLong filesSeen = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    /** Of the ImportProgress events sent: a consumer keeps the highest. */
    private final AtomicLong sequence = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final Map<Outcome, AtomicLong> instances = counters();
    final Map<Outcome, AtomicLong> reports = counters();
    private final Map<String, AtomicLong> byReason = new TreeMap<>();

    ImportTally(UUID id, String path, String layout, Instant startedAt) {
        this.id = id;
        this.path = path;
        this.layout = layout;
        this.startedAt = startedAt;
    }

    private static Map<Outcome, AtomicLong> counters() {
        Map<Outcome, AtomicLong> m = new java.util.EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, new AtomicLong());
        }
        return m;
    }

    void reason(String reason) {
        synchronized (byReason) {
            byReason.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        }
    }

    /** The JSON of {@code GET /imports/{id}}. */
    public View view() {
        Instant end = finishedAt != null ? finishedAt : Instant.now();
        double secs = Math.max(0.001, Duration.between(startedAt, end).toMillis() / 1000.0);
        Map<String, Long> reasons = new TreeMap<>();
        synchronized (byReason) {
            byReason.forEach((k, v) -> reasons.put(k, v.get()));
        }
        long instancesDone = instances.values().stream().mapToLong(AtomicLong::get).sum();
        return new View(id, path, layout, state.name(), filesTotal.get(), filesSeen.get(),
                instances.get(Outcome.ACCEPTED).get() + reports.get(Outcome.ACCEPTED).get(),
                instances.get(Outcome.DUPLICATE).get() + reports.get(Outcome.UNCHANGED).get(),
                instances.get(Outcome.CONFLICT).get(),
                instances.get(Outcome.REJECTED).get() + reports.get(Outcome.REJECTED).get(),
                failed.get(), skipped.get(),
                new Instances(instances.get(Outcome.ACCEPTED).get(), instances.get(Outcome.DUPLICATE).get(),
                        instances.get(Outcome.CONFLICT).get(), instances.get(Outcome.REJECTED).get()),
                new Reports(reports.get(Outcome.ACCEPTED).get(), reports.get(Outcome.UNCHANGED).get(),
                        reports.get(Outcome.REJECTED).get()),
                reasons, bytes.get(), startedAt, finishedAt, round(secs), round(filesSeen.get() / secs),
                round(instancesDone / secs), round(bytes.get() / secs / 1e6), error);
    }

    /**
     * The next {@code ImportProgress} event: this state with counts only — no path, file name or
     * identifier (a folder name may name a patient). Each call takes the next sequence number;
     * synchronized so that a later number never carries an earlier state.
     */
    synchronized org.cxr.events.ImportProgress event() {
        View v = view();
        return new org.cxr.events.ImportProgress(org.cxr.events.ImportProgress.SCHEMA_VERSION, id.toString(), layout,
                v.state(), sequence.incrementAndGet(), v.filesTotal(), v.filesSeen(), v.accepted(), v.duplicates(),
                v.conflicts(), v.rejected(), v.failed(), v.skipped(), v.rejectedByReason(), v.bytes(), startedAt,
                Instant.now(), finishedAt);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /**
     * @param duplicates instances already stored with the same bytes, plus unchanged reports
     * @param rejectedByReason rejected and failed files by reason
     */
    public record View(UUID importId, String path, String layout, String state, long filesTotal, long filesSeen,
                       long accepted, long duplicates, long conflicts, long rejected, long failed, long skipped,
                       Instances instances, Reports reports, Map<String, Long> rejectedByReason, long bytes,
                       Instant startedAt, Instant finishedAt, double elapsedSeconds, double filesPerSecond,
                       double instancesPerSecond, double megabytesPerSecond, String error) {
    }

    public record Instances(long accepted, long duplicates, long conflicts, long rejected) {
    }

    public record Reports(long accepted, long unchanged, long rejected) {
    }
}
