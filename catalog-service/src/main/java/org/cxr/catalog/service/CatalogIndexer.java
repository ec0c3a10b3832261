package org.cxr.catalog.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cxr.catalog.config.SplitPolicy;
import org.cxr.catalog.domain.indexing.DecodedEvent;
import org.cxr.catalog.domain.indexing.EventDecoder;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.split.SplitRule;
import org.cxr.catalog.repository.CatalogCommitted;
import org.cxr.catalog.repository.IndexingBatch;
import org.cxr.platform.logging.StudyLog;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Indexes records into the catalog: decodes them, then applies a whole poll batch in one
 * transaction ({@link IndexingBatch}). A record is handled alone when it is bad, never by failing
 * the others: a record the decoder rejects (invalid, oversized) is dead-lettered inside the batch
 * (INVALID_EVENT); when the batch fails anyway (a data error of the database, or any Throwable),
 * it is split in halves, each indexed on its own, down to the one record that fails, which is
 * dead-lettered (INTERNAL_ERROR) with the batch's other records indexed. A database outage is
 * waited out ({@link DatabaseOutages}), never dead-lettered. So a call returns normally for any
 * record; it throws only when interrupted (shutdown) while waiting for the database.
 */
@ApplicationScoped
public class CatalogIndexer {
    private static final Logger LOG = Logger.getLogger(CatalogIndexer.class);

    @Inject
    EntityManager em;
    @Inject
    SplitPolicy splitPolicy;
    @Inject
    MeterRegistry registry;
    @Inject
    Event<CatalogCommitted> committed;

    private final AtomicLong indexedTotal = new AtomicLong();
    private Counter eventsCounter;
    private Counter invalidCounter;
    private Counter failedCounter;
    private Counter lostCounter;
    private Counter studiesCounter;
    private Timer batchTimer;
    private DistributionSummary studyLatency;

    /**
     * What one call did.
     *
     * @param isolatedFailures records dead-lettered as INTERNAL_ERROR (their indexing failed)
     * @param lost records whose dead letter could not be written either (logged, skipped)
     */
    public record Result(int events, int invalid, int studiesChanged, int eventsEmitted, int isolatedFailures,
            int lost) {
    }

    /**
     * The trace of each record (the messaging adapter's spans): entered around what is done and
     * logged about one record alone, so those log lines carry the record's traceId; and written with
     * what the record causes in the outbox, so the events the catalog sends go on in its trace.
     */
    @FunctionalInterface
    public interface RecordTrace {
        RecordTrace NONE = r -> Scope.noop();

        Scope enter(RawEvent record);

        /** The W3C traceparent of the record's span, or null. */
        default String traceparent(RawEvent record) {
            return null;
        }
    }

    /** Counts of one call, added up over the parts a failed batch is split into. */
    private static final class Tally {
        int invalid;
        int studies;
        int emitted;
        int failed;
        int lost;

        final List<String[]> deadLetters = new ArrayList<>();
        final List<Double> completed = new ArrayList<>();

        void add(IndexingBatch.Outcome o) {
            invalid += o.invalid();
            studies += o.studiesChanged();
            emitted += o.eventsEmitted();
            deadLetters.addAll(o.newDeadLetters());
            completed.addAll(o.completedLatencies());
        }
    }

    @PostConstruct
    void metrics() {
        // every series carries the same tag keys: Prometheus drops a series whose keys differ
        eventsCounter = events("indexed", "none", "records read from the input topics and indexed");
        invalidCounter = events("dead-lettered", "INVALID_EVENT", "records dead-lettered to cxr.catalog.dlq");
        failedCounter = events("dead-lettered", "INTERNAL_ERROR", "records dead-lettered to cxr.catalog.dlq");
        lostCounter = events("lost", "INTERNAL_ERROR", "records neither indexed nor dead-lettered (see the log)");
        studiesCounter = Counter.builder("cxr.catalog.studies.changed").description("study rows recomputed")
                .register(registry);
        batchTimer = Timer.builder("cxr.catalog.index.batch").description("time to index one poll batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        // received -> COMPLETE of each study (the first event of a study to the batch that completed it)
        studyLatency = DistributionSummary.builder("cxr.catalog.study.latency").baseUnit("seconds")
                .description("time from a study's first event (image or report received) until it was COMPLETE")
                .serviceLevelObjectives(1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)
                .register(registry);
    }

    /** Dead letters recorded for the first time, per stage and reason (convert's, label's and the catalog's own). */
    private Counter deadLetter(String stage, String reason) {
        return Counter.builder("cxr.dead.letters").tag("stage", stage).tag("reason", reason)
                .description("dead letters of the pipeline, counted once each when the catalog records them")
                .register(registry);
    }

    private Counter events(String outcome, String reason, String description) {
        return Counter.builder("cxr.catalog.events").tag("outcome", outcome).tag("reason", reason)
                .description(description).register(registry);
    }

    /** Records indexed since start-up. */
    public long indexedTotal() {
        return indexedTotal.get();
    }

    public Result index(List<RawEvent> records) {
        return index(records, splitPolicy.assigner(), RecordTrace.NONE);
    }

    /** As {@link #index(List)}, each record's own log lines in its trace. */
    public Result index(List<RawEvent> records, RecordTrace trace) {
        return index(records, splitPolicy.assigner(), trace);
    }

    /** As {@link #index(List)} with an explicit split rule (tests of split stability). */
    public Result index(List<RawEvent> records, SplitRule splits) {
        return index(records, splits, RecordTrace.NONE);
    }

    private Result index(List<RawEvent> records, SplitRule splits, RecordTrace trace) {
        if (records.isEmpty()) {
            return new Result(0, 0, 0, 0, 0, 0);
        }
        long t0 = System.nanoTime();
        List<DecodedEvent> decoded = new ArrayList<>(records.size());
        Map<DecodedEvent, Throwable> undecodable = new LinkedHashMap<>();
        for (RawEvent r : records) {
            try {
                decoded.add(EventDecoder.decode(r));
            } catch (Throwable t) {
                undecodable.put(EventDecoder.undecoded(r), t);
            }
        }
        Tally tally = new Tally();
        long tx = System.nanoTime();
        apply(decoded, splits, tally, trace);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("indexed %d records, %d studies changed in %.1f ms (decode %.1f ms)", records.size(),
                    tally.studies, (System.nanoTime() - tx) / 1e6, (tx - t0) / 1e6);
        }
        undecodable.forEach((d, t) -> deadLetter(d, "decoding failed", t, splits, tally, trace));
        for (DecodedEvent d : decoded) {
            if (d.invalid()) {
                try (StudyLog log = StudyLog.of(d.raw().key(), null); Scope s = trace.enter(d.raw())) {
                    LOG.warnf("invalid event on %s (dead-lettered): %s", d.raw().topic(), d.invalidReason());
                }
            }
        }
        indexedTotal.addAndGet(records.size());
        eventsCounter.increment(records.size() - tally.invalid - tally.failed - tally.lost);
        invalidCounter.increment(tally.invalid);
        failedCounter.increment(tally.failed);
        lostCounter.increment(tally.lost);
        studiesCounter.increment(tally.studies);
        tally.deadLetters.forEach(d -> deadLetter(d[0], d[1]).increment());
        tally.completed.forEach(studyLatency::record);
        batchTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        committed.fire(new CatalogCommitted());
        return new Result(records.size(), tally.invalid, tally.studies, tally.emitted, tally.failed, tally.lost);
    }

    /**
     * Recomputes the derived rows of these studies from their facts (after a change of the
     * derivation rules, or after facts were bulk-loaded), in transactions of {@code chunk} studies.
     */
    public int recompute(List<Integer> studyIds, boolean emit, int chunk) {
        int done = 0;
        for (int i = 0; i < studyIds.size(); i += chunk) {
            Set<Integer> part = new LinkedHashSet<>(studyIds.subList(i, Math.min(studyIds.size(), i + chunk)));
            done += DatabaseOutages.retrying("recomputing studies", () -> QuarkusTransaction.requiringNew().call(
                    () -> session().doReturningWork(conn -> new IndexingBatch(conn, splitPolicy.assigner(),
                            Clock.systemUTC().instant()).recompute(part, emit))));
        }
        if (emit) {
            committed.fire(new CatalogCommitted());
        }
        return done;
    }

    /** Indexes the records in one transaction; if that fails, each half on its own, down to single records. */
    private void apply(List<DecodedEvent> part, SplitRule splits, Tally tally, RecordTrace trace) {
        if (part.isEmpty()) {
            return;
        }
        try {
            tally.add(DatabaseOutages.retrying("indexing", () -> QuarkusTransaction.requiringNew().call(
                    () -> session().doReturningWork(conn -> new IndexingBatch(conn, splits,
                            Clock.systemUTC().instant(), trace::traceparent).apply(part)))));
        } catch (Throwable t) {
            stopIfInterrupted(t);
            if (part.size() == 1) {
                deadLetter(part.get(0), "indexing failed", t, splits, tally, trace);
                return;
            }
            LOG.warnf("%d records failed together (%s); indexing each half on its own", part.size(),
                    DatabaseOutages.rootMessage(t));
            int half = part.size() / 2;
            apply(part.subList(0, half), splits, tally, trace);
            apply(part.subList(half, part.size()), splits, tally, trace);
        }
    }

    /** Dead-letters a record that failed alone (INTERNAL_ERROR); if even that fails, logs and skips it. */
    private void deadLetter(DecodedEvent d, String what, Throwable failure, SplitRule splits, Tally tally,
            RecordTrace trace) {
        String message = what + ": " + DatabaseOutages.describe(failure);
        try (StudyLog log = StudyLog.of(d.raw().key(), null); Scope s = trace.enter(d.raw())) {
            LOG.errorf(failure, "record %s on %s cannot be indexed; dead-lettered as INTERNAL_ERROR", d.eventId(),
                    d.raw().topic());
            try {
                tally.deadLetters.addAll(DatabaseOutages.retrying("recording a dead letter", () -> QuarkusTransaction
                        .requiringNew().call(() -> session().doReturningWork(conn -> new IndexingBatch(conn, splits,
                                Clock.systemUTC().instant(), trace::traceparent).recordFailure(d, message)))));
                tally.failed++;
            } catch (Throwable t) {
                stopIfInterrupted(t);
                LOG.errorf(t, "the dead letter of record %s on %s could not be written either; record skipped",
                        d.eventId(), d.raw().topic());
                tally.lost++;
            }
        }
    }

    /** Shutdown while waiting for the database: give up the batch (its offsets are not committed). */
    private static void stopIfInterrupted(Throwable t) {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while indexing: " + DatabaseOutages.rootMessage(t), t);
        }
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
