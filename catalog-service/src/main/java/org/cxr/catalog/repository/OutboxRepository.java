package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.StudyIndexed;
import org.cxr.events.Topics;

/**
 * The transactional outbox, the one place that knows its table: events are appended in the
 * transaction of the change that caused them, then read by the publisher after commit (rows
 * locked {@code FOR UPDATE SKIP LOCKED}, so several instances never send the same row at once)
 * and deleted once the broker acknowledged them.
 */
public final class OutboxRepository {
    private static final String APPEND = "INSERT INTO outbox (topic, event_key, event_id, event_type, payload, attempts,"
            + " traceparent, created_at) SELECT tp, k, e, ty, pl, a, tr, ?::timestamptz FROM unnest(?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::int[], ?::text[]) WITH ORDINALITY AS t(tp, k, e, ty, pl, a, tr, o)"
            + " ORDER BY o";
    private static final String NEXT = "SELECT outbox_id, topic, event_key, event_id, event_type, payload, created_at,"
            + " attempts, traceparent"
            + " FROM outbox ORDER BY outbox_id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String DELETE = "DELETE FROM outbox WHERE outbox_id = ANY (?)";

    /**
     * An event to publish: topic, record key (the study id) and ce_id, type and payload as sent;
     * attempts (header {@code cxr-attempts}) only on a redriven event; the W3C traceparent of the
     * record that caused it, or null.
     */
    public record Entry(String topic, String key, String eventId, String type, String payload, Integer attempts,
            String traceparent) {
        public Entry(String topic, String key, String eventId, String type, String payload, Integer attempts) {
            this(topic, key, eventId, type, payload, attempts, null);
        }

        public Entry(String topic, String key, String eventId, String type, String payload) {
            this(topic, key, eventId, type, payload, null);
        }

        /** The same event in the trace of {@code traceparent} (null: none). */
        public Entry traced(String traceparent) {
            return new Entry(topic, key, eventId, type, payload, attempts, traceparent);
        }

        public static Entry of(String topic, CxrEvent event) {
            return of(topic, event, event.eventId());
        }

        /** An event published under another id than its own (an operator pin's re-announcement). */
        public static Entry of(String topic, CxrEvent event, String eventId) {
            return new Entry(topic, event.studyId(), eventId, event.eventType(), EventJson.write(event));
        }

        public static Entry indexed(StudyIndexed e) {
            return of(Topics.STUDY_INDEXED, e);
        }

        public static Entry deadLetter(DeadLetter d) {
            return of(Topics.CATALOG_DLQ, d);
        }
    }

    /** A stored entry, with its id and the time it was written. */
    public record Row(long id, Entry entry, Instant createdAt) {
    }

    private final Connection c;

    public OutboxRepository(Connection connection) {
        this.c = connection;
    }

    /** Appends the entries in order, in the caller's transaction. */
    public void append(List<Entry> entries, Instant now) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        JdbcArrays db = new JdbcArrays(c);
        db.update(APPEND, now.toString(), db.text(entries, Entry::topic), db.text(entries, Entry::key),
                db.text(entries, Entry::eventId), db.text(entries, Entry::type), db.text(entries, Entry::payload),
                db.int4(entries, Entry::attempts), db.text(entries, Entry::traceparent));
    }

    /** The oldest entries no other transaction holds, locked until the caller's transaction ends. */
    public List<Row> lockNext(int limit) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(NEXT)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), new Entry(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), (Integer) rs.getObject(8), rs.getString(9)),
                            rs.getTimestamp(7).toInstant()));
                }
            }
        }
        return out;
    }

    /** Deletes published rows. */
    public void delete(List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setArray(1, c.createArrayOf("int8", rows.stream().map(Row::id).toArray(Long[]::new)));
            ps.executeUpdate();
        }
    }
}
