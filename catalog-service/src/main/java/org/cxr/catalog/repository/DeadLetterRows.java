package org.cxr.catalog.repository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.cxr.catalog.domain.indexing.Bounded;
import org.cxr.catalog.domain.indexing.DecodedEvent;
import org.cxr.catalog.domain.indexing.EventDecoder;
import org.cxr.catalog.domain.indexing.FactOrder;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.Ids;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Topics;
import org.cxr.platform.messaging.DeadLetters;

/**
 * The {@code dead_letter} table: every dead letter read from convert and label (kept for
 * operators) and every one the catalog writes itself, keyed by event id: a repeated one is ignored,
 * a later failure of the same event (after a redrive) replaces it.
 */
final class DeadLetterRows {
    private static final String STAGE = "catalog";
    /** So that {@code dead-letter:catalog:<original id>} fits {@link EventDecoder#MAX_EVENT_ID}. */
    private static final int MAX_ORIGINAL_ID = EventDecoder.MAX_EVENT_ID - ("dead-letter:" + STAGE + ":").length();
    private static final int MAX_MESSAGE = 2000;
    /** Events are small (object keys, not data): a larger record is not kept whole in its dead letter. */
    static final int MAX_ORIGINAL = 64 * 1024;
    private static final String INSERT = "INSERT INTO dead_letter (event_id, topic, stage, reason, message, subject_id,"
            + " study_id, dicom_id, original_topic, original_event_id, payload, failed_at, attempts, history, recorded_at)"
            + " SELECT e, tp, sg, rs, m, su, st, d, ot, oe, pl, at::timestamptz, n, h, ?::timestamptz"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::int[], ?::text[]) AS t(e, tp, sg, rs, m, su, st, d, ot, oe, pl, at, n, h)"
            // the same event failed again after a redrive: the later failure is the one to show
            + " ON CONFLICT (event_id) DO UPDATE SET reason = EXCLUDED.reason, message = EXCLUDED.message,"
            + " payload = EXCLUDED.payload, failed_at = EXCLUDED.failed_at, attempts = EXCLUDED.attempts,"
            + " history = EXCLUDED.history, recorded_at = EXCLUDED.recorded_at"
            + " WHERE EXCLUDED.failed_at > dead_letter.failed_at"
            + " RETURNING coalesce(stage, 'unknown'), coalesce(reason, 'UNKNOWN')";

    /** A dead letter as recorded: its id, the topic it was read from or written to, the payload as it came. */
    record Row(DeadLetter letter, String eventId, String topic, String payload) {
        /** A dead letter read from convert's or label's dead-letter topic. */
        static Row seen(DecodedEvent e) {
            return new Row(e.deadLetterSeen(), e.eventId(), e.raw().topic(), e.raw().value());
        }

        /** One the catalog writes to cxr.catalog.dlq. */
        static Row written(DeadLetter d) {
            return new Row(d, d.eventId(), Topics.CATALOG_DLQ, EventJson.write(d));
        }
    }

    private final JdbcArrays db;
    private final String now;

    DeadLetterRows(JdbcArrays db, String now) {
        this.db = db;
        this.now = now;
    }

    /** Records the dead letters not recorded yet (or failed again); returns (stage, reason) of each. */
    List<String[]> insert(List<Row> all) throws SQLException {
        List<Row> rows = FactOrder.winners(all, Row::eventId, (a, b) -> 0);
        return db.rows(INSERT, now, db.text(rows, Row::eventId), db.text(rows, Row::topic),
                db.text(rows, r -> r.letter().stage()),
                db.text(rows, r -> r.letter().reason() == null ? null : r.letter().reason().name()),
                db.text(rows, r -> r.letter().message()), db.int4(rows, r -> parseId(r.letter().subjectId())),
                db.int4(rows, r -> parseId(r.letter().studyId())), db.text(rows, r -> r.letter().dicomId()),
                db.text(rows, r -> r.letter().originalTopic()), db.text(rows, r -> r.letter().originalEventId()),
                db.text(rows, Row::payload),
                db.text(rows, r -> r.letter().failedAt() == null ? null : r.letter().failedAt().toString()),
                db.int4(rows, r -> r.letter().attempts()),
                db.text(rows, r -> r.letter().history() == null ? null : EventJson.mapper().valueToTree(r.letter().history())
                        .toString()));
    }

    /**
     * The catalog's dead letter of a record: ids from the parsed event (or the record key), and as
     * original event id the record's CloudEvents id, else its payload id, else topic-partition@offset,
     * so that every rejected record has its own deterministic dead-letter id. Whatever the record,
     * the dead letter fits its row and a Kafka record: an id too long is shortened with its hash
     * ({@link Bounded#id}), the message is cut, and an original event larger than
     * {@link #MAX_ORIGINAL} characters is kept only as the start of its text.
     */
    static DeadLetter of(DecodedEvent e, FailureReason reason, String message, Instant failedAt) {
        String raw = e.raw().value();
        DeadLetter base = DeadLetters.of(STAGE, reason, Bounded.text(message, MAX_MESSAGE), e.raw().topic(), e.event(),
                raw != null && raw.length() > MAX_ORIGINAL ? Bounded.text(raw, MAX_ORIGINAL) : raw, dicomIdOf(e));
        String studyId = base.studyId() != null ? base.studyId() : Ids.isStudyId(e.raw().key()) ? e.raw().key() : null;
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, STAGE, reason, base.message(), base.subjectId(), studyId,
                base.dicomId(), e.raw().topic(), Bounded.id(e.eventId(), MAX_ORIGINAL_ID), base.originalEventType(),
                base.originalEvent(), failedAt);
    }

    private static String dicomIdOf(DecodedEvent e) {
        if (e.event() instanceof InstanceReceived r) {
            return r.dicomId();
        }
        if (e.event() instanceof InstanceConverted r) {
            return r.dicomId();
        }
        return null;
    }

    private static Integer parseId(String s) {
        if (s == null || s.length() != 8) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
