package org.cxr.catalog.service;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cxr.catalog.config.SplitPolicy;
import org.cxr.catalog.domain.indexing.DecodedEvent;
import org.cxr.catalog.domain.indexing.EventDecoder;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.repository.CatalogCommitted;
import org.cxr.catalog.repository.IndexingBatch;
import org.cxr.platform.logging.StudyLog;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Indexes records into the catalog: decodes them, then applies a whole poll batch in one
 * transaction ({@link IndexingBatch}). If the batch fails on a data error, it is retried one event
 * per transaction so that only the offending event is dead-lettered (INTERNAL_ERROR); if the
 * database is unreachable, it waits and retries (nothing is dead-lettered for an outage).
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
    private Counter studiesCounter;
    private Timer batchTimer;

    /** What one call did. */
    public record Result(int events, int invalid, int studiesChanged, int eventsEmitted, int isolatedFailures) {
    }

    @PostConstruct
    void metrics() {
        // both series carry the same tag keys: Prometheus drops a series whose keys differ
        eventsCounter = Counter.builder("cxr.catalog.events").tag("outcome", "indexed").tag("reason", "none")
                .description("records read from the input topics and indexed").register(registry);
        invalidCounter = Counter.builder("cxr.catalog.events").tag("outcome", "dead-lettered")
                .tag("reason", "INVALID_EVENT").description("records dead-lettered to cxr.catalog.dlq").register(registry);
        studiesCounter = Counter.builder("cxr.catalog.studies.changed").description("study rows recomputed")
                .register(registry);
        batchTimer = Timer.builder("cxr.catalog.index.batch").description("time to index one poll batch")
                .register(registry);
    }

    /** Records indexed since start-up. */
    public long indexedTotal() {
        return indexedTotal.get();
    }

    public Result index(List<RawEvent> records) {
        return index(records, splitPolicy.assigner());
    }

    /** As {@link #index(List)} with an explicit split rule (tests of split stability). */
    public Result index(List<RawEvent> records, SplitAssigner splits) {
        if (records.isEmpty()) {
            return new Result(0, 0, 0, 0, 0);
        }
        long t0 = System.nanoTime();
        List<DecodedEvent> decoded = new ArrayList<>(records.size());
        for (RawEvent r : records) {
            decoded.add(EventDecoder.decode(r));
        }
        Result result;
        try {
            long tx = System.nanoTime();
            IndexingBatch.Outcome o = retryingOutages(() -> applyInNewTransaction(decoded, splits));
            result = new Result(records.size(), o.invalid(), o.studiesChanged(), o.eventsEmitted(), 0);
            if (LOG.isDebugEnabled()) {
                LOG.debugf("indexed %d records, %d studies changed in %.1f ms (decode %.1f ms; %s)", records.size(),
                        o.studiesChanged(), (System.nanoTime() - tx) / 1e6, (tx - t0) / 1e6, o.timings());
            }
        } catch (RuntimeException e) {
            if (decoded.size() == 1 && isTransient(e)) {
                throw e;
            }
            LOG.warnf("batch of %d records failed (%s); indexing them one by one", decoded.size(), rootMessage(e));
            result = isolate(decoded, splits);
        }
        for (DecodedEvent d : decoded) {
            if (d.invalid()) {
                try (StudyLog log = StudyLog.of(d.raw().key(), null)) {
                    LOG.warnf("invalid event on %s (dead-lettered): %s", d.raw().topic(), d.invalidReason());
                }
            }
        }
        indexedTotal.addAndGet(records.size());
        eventsCounter.increment(records.size() - result.invalid());
        invalidCounter.increment(result.invalid());
        studiesCounter.increment(result.studiesChanged());
        batchTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        committed.fire(new CatalogCommitted());
        return result;
    }

    /**
     * Recomputes the derived rows of these studies from their facts (after a change of the
     * derivation rules, or after facts were bulk-loaded), in transactions of {@code chunk} studies.
     */
    public int recompute(List<Integer> studyIds, boolean emit, int chunk) {
        int done = 0;
        for (int i = 0; i < studyIds.size(); i += chunk) {
            Set<Integer> part = new LinkedHashSet<>(studyIds.subList(i, Math.min(studyIds.size(), i + chunk)));
            done += retryingOutages(() -> QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(
                    conn -> new IndexingBatch(conn, splitPolicy.assigner(), Clock.systemUTC().instant())
                            .recompute(part, emit))));
        }
        if (emit) {
            committed.fire(new CatalogCommitted());
        }
        return done;
    }

    private Result isolate(List<DecodedEvent> decoded, SplitAssigner splits) {
        int invalid = 0;
        int studies = 0;
        int emitted = 0;
        int failures = 0;
        for (DecodedEvent d : decoded) {
            try {
                IndexingBatch.Outcome o = retryingOutages(() -> applyInNewTransaction(List.of(d), splits));
                invalid += o.invalid();
                studies += o.studiesChanged();
                emitted += o.eventsEmitted();
            } catch (RuntimeException e) {
                failures++;
                String message = "indexing failed: " + rootMessage(e);
                try (StudyLog log = StudyLog.of(d.raw().key(), null)) {
                    LOG.errorf(e, "event %s on %s cannot be indexed; dead-lettered as INTERNAL_ERROR", d.eventId(),
                            d.raw().topic());
                }
                retryingOutages(() -> QuarkusTransaction.requiringNew().call(() -> {
                    session().doWork(conn -> new IndexingBatch(conn, splits, Clock.systemUTC().instant())
                            .recordFailure(d, message));
                    return null;
                }));
            }
        }
        return new Result(decoded.size(), invalid, studies, emitted, failures);
    }

    private IndexingBatch.Outcome applyInNewTransaction(List<DecodedEvent> decoded, SplitAssigner splits) {
        return QuarkusTransaction.requiringNew().call(() -> session().doReturningWork(
                conn -> new IndexingBatch(conn, splits, Clock.systemUTC().instant()).apply(decoded)));
    }

    private Session session() {
        return em.unwrap(Session.class);
    }

    private static <T> T retryingOutages(Supplier<T> work) {
        long backoff = 200;
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                LOG.warnf("catalog database unavailable (%s); retry %d in %d ms", rootMessage(e), attempt, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /** Connection problems, lock/serialisation conflicts and shutdowns: retry, never dead-letter. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("40001") || state.equals("40P01"))) {
                    return true;
                }
                if (s.getMessage() != null && s.getMessage().contains("Acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
