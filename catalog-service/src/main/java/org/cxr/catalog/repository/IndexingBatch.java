package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.cxr.catalog.domain.indexing.DecodedEvent;
import org.cxr.catalog.domain.indexing.Fact;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.report.ReportResolver;
import org.cxr.catalog.domain.split.SplitRule;
import org.cxr.catalog.domain.state.StudyAnnouncement;
import org.cxr.catalog.domain.state.StudyStateRule;
import org.cxr.events.DeadLetter;
import org.cxr.events.FailureReason;
import org.cxr.events.ImportProgress;
import org.cxr.events.StudyState;
import org.cxr.events.StudyIndexed;

/**
 * Applies a batch of decoded events to the catalog on one JDBC connection, inside the caller's
 * transaction:
 *
 * <ol>
 * <li>upserts the facts by natural id ({@link FactUpserts}: subject, split on first sight, study
 *     stub, image, report revision, labelling), and records the dead letters read from convert
 *     and label ({@link DeadLetterRows});
 * <li>takes the catalog write lock ({@link CatalogWriteLock});
 * <li>for every study whose facts changed: re-resolves its report and labels
 *     ({@link ReportProjection}, {@link ReportResolver}), recomputes its counts and state
 *     ({@link StudyProjection}, {@link StudyStateRule}), gives it a new change_seq, and writes a
 *     StudyIndexed event to the outbox when its announcement changed ({@link StudyAnnouncement});
 * <li>writes invalid events as dead letters (cxr.catalog.dlq, reason INVALID_EVENT) to the outbox.
 * </ol>
 * Each outbox event carries the W3C traceparent of the record that caused it (a study's last record
 * of the batch, a dead letter's own record), so the study's trace goes on in what the catalog sends.
 * Every statement covers all rows of the batch: a few round trips whatever its size.
 */
public final class IndexingBatch {
    /** What a batch did, and how long its steps took (ms). */
    /**
     * @param newDeadLetters     (stage, reason) of every dead letter recorded for the first time
     * @param completedLatencies seconds from the first event of each study that became COMPLETE to now
     */
    public record Outcome(int facts, int invalid, int deadLettersSeen, int studiesChanged, int eventsEmitted,
            String timings, List<String[]> newDeadLetters, List<Double> completedLatencies) {
    }

    private final List<String[]> newDeadLetters = new ArrayList<>();

    private final Connection c;
    private final JdbcArrays db;
    private final SplitRule splits;
    private final Instant now;
    private final Function<RawEvent, String> traceparents;
    /** The traceparent of each study's last record of the batch, by study id. */
    private final Map<String, String> studyTraces = new HashMap<>();
    private final StringBuilder timings = new StringBuilder();
    private long lap = System.nanoTime();

    public IndexingBatch(Connection connection, SplitRule splits, Instant now) {
        this(connection, splits, now, r -> null);
    }

    /** @param traceparents the W3C traceparent of a record's trace (the messaging adapter's), or null */
    public IndexingBatch(Connection connection, SplitRule splits, Instant now, Function<RawEvent, String> traceparents) {
        this.c = connection;
        this.db = new JdbcArrays(connection);
        this.splits = splits;
        this.now = now;
        this.traceparents = traceparents;
    }

    public Outcome apply(List<DecodedEvent> events) throws SQLException {
        List<Fact> facts = new ArrayList<>();
        List<DecodedEvent> invalid = new ArrayList<>();
        List<DeadLetterRows.Row> seenDeadLetters = new ArrayList<>();
        List<ImportProgress> imports = new ArrayList<>();
        for (DecodedEvent e : events) {
            if (e.invalid()) {
                invalid.add(e);
                continue;
            }
            String traceparent = traceparents.apply(e.raw());
            if (traceparent != null && e.event() != null && e.event().studyId() != null) {
                studyTraces.put(e.event().studyId(), traceparent);
            }
            if (e.event() instanceof ImportProgress p) {
                imports.add(p);
            }
            if (e.deadLetterSeen() != null) {
                seenDeadLetters.add(DeadLetterRows.Row.seen(e));
            }
            if (e.fact() != null) {
                facts.add(e.fact());
            }
        }
        FactUpserts.Changes changed = new FactUpserts(db, splits, now.toString()).upsert(facts);
        lap("facts");
        if (!seenDeadLetters.isEmpty()) {
            newDeadLetters.addAll(deadLetters().insert(seenDeadLetters));
        }
        if (!imports.isEmpty()) {
            new ImportProgressRows(db, now.toString()).upsert(imports);
        }
        // Facts are written; the derivation is serialised: every transaction that changed a study's
        // facts re-derives it here, under the lock, before committing, so the last one to do so sees
        // all of them (READ COMMITTED); and change_seq numbers are drawn in commit order.
        CatalogWriteLock.acquire(c);
        lap("lock");
        if (!changed.reports().isEmpty()) {
            new ReportProjection(db, now.toString()).project(changed.reports());
        }
        lap("reports");
        List<StudyIndexed> emitted = changed.studies().isEmpty() ? List.of()
                : new StudyProjection(db, now).project(changed.studies());
        lap("studies");
        List<DeadLetter> rejected = new ArrayList<>();
        List<String> rejectedTraces = new ArrayList<>();
        for (DecodedEvent e : invalid) {
            rejected.add(DeadLetterRows.of(e, FailureReason.INVALID_EVENT, e.invalidReason(), now));
            rejectedTraces.add(traceparents.apply(e.raw()));
        }
        if (!rejected.isEmpty()) {
            newDeadLetters.addAll(deadLetters().insert(rejected.stream().map(DeadLetterRows.Row::written).toList()));
        }
        writeOutbox(emitted, rejected, rejectedTraces);
        lap("outbox");
        List<Integer> completed = emitted.stream().filter(e -> e.state() == StudyState.COMPLETE)
                .map(e -> Integer.parseInt(e.studyId())).toList();
        return new Outcome(facts.size(), invalid.size(), seenDeadLetters.size(), changed.studies().size(),
                emitted.size(), timings.toString(), List.copyOf(newDeadLetters), completionLatencies(completed));
    }

    /** Seconds from each study's first event (image or report received) to now, for those that just became COMPLETE. */
    private List<Double> completionLatencies(List<Integer> studies) throws SQLException {
        if (studies.isEmpty()) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (String[] r : db.rows(IndexingSql.COMPLETION_LATENCY, db.ints(studies), now.toString())) {
            if (r[0] != null) {
                out.add(Double.parseDouble(r[0]));
            }
        }
        return out;
    }

    /**
     * Recomputes the derived rows (report, study_label, study) of the given studies from their
     * facts, as indexing does; with {@code emit}, writes StudyIndexed for those whose state changed.
     */
    public int recompute(Set<Integer> studies, boolean emit) throws SQLException {
        CatalogWriteLock.acquire(c);
        Set<Integer> withReports = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(IndexingSql.STUDIES_WITH_REPORTS)) {
            ps.setArray(1, db.ints(studies));
            ps.setArray(2, db.ints(studies));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    withReports.add(rs.getInt(1));
                }
            }
        }
        if (!withReports.isEmpty()) {
            new ReportProjection(db, now.toString()).project(withReports);
        }
        List<StudyIndexed> events = new StudyProjection(db, now).project(new TreeSet<>(studies));
        if (emit) {
            writeOutbox(events, List.of(), List.of());
        }
        return studies.size();
    }

    /** A dead letter for an event that broke the batch (a database error), recorded alone. */
    public List<String[]> recordFailure(DecodedEvent e, String message) throws SQLException {
        DeadLetter d = DeadLetterRows.of(e, FailureReason.INTERNAL_ERROR, message, now);
        List<String[]> recorded = deadLetters().insert(List.of(DeadLetterRows.Row.written(d)));
        writeOutbox(List.of(), List.of(d), Collections.singletonList(traceparents.apply(e.raw())));
        return recorded;
    }

    private DeadLetterRows deadLetters() {
        return new DeadLetterRows(db, now.toString());
    }

    /** @param rejectedTraces the traceparent of each of {@code rejected}, in order (entries may be null) */
    private void writeOutbox(List<StudyIndexed> indexed, List<DeadLetter> rejected, List<String> rejectedTraces)
            throws SQLException {
        List<OutboxRepository.Entry> entries = new ArrayList<>();
        indexed.forEach(e -> entries.add(OutboxRepository.Entry.indexed(e).traced(studyTraces.get(e.studyId()))));
        for (int i = 0; i < rejected.size(); i++) {
            entries.add(OutboxRepository.Entry.deadLetter(rejected.get(i)).traced(rejectedTraces.get(i)));
        }
        new OutboxRepository(c).append(entries, now);
    }

    private void lap(String step) {
        long t = System.nanoTime();
        timings.append(step).append('=').append((t - lap) / 100_000 / 10.0).append(' ');
        lap = t;
    }
}
