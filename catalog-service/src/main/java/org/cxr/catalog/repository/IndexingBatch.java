package org.cxr.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.cxr.catalog.domain.format.MimicFormat;
import org.cxr.catalog.domain.indexing.DecodedEvent;
import org.cxr.catalog.domain.indexing.Fact;
import org.cxr.catalog.domain.report.LabellingFact;
import org.cxr.catalog.domain.report.ReportResolver;
import org.cxr.catalog.domain.report.ReportStatus;
import org.cxr.catalog.domain.report.ReportView;
import org.cxr.catalog.domain.report.RevisionFact;
import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.domain.state.StudyStateRule;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ImageMetadata;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.LabelVector;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.StudyIndexed;
import org.cxr.events.StudyState;
import org.cxr.events.Topics;
import org.cxr.platform.messaging.DeadLetters;

/**
 * Applies a batch of decoded events to the catalog on one JDBC connection, inside the caller's
 * transaction:
 *
 * <ol>
 * <li>takes the catalog write lock (so change_seq order is commit order);
 * <li>upserts the facts by natural id (subject, split on first sight, study stub, image, report
 *     revision, labelling, dead letter); every upsert only writes when the incoming fact wins the
 *     fact's total order (e.g. a later convertedAt), so a duplicate or an older fact is a no-op;
 * <li>for every study whose facts changed: re-resolves its report and labels
 *     ({@link ReportResolver}), recomputes its counts and state ({@link StudyStateRule}) from
 *     the image rows, gives it a new change_seq, and writes a StudyIndexed event to the outbox when
 *     its state, counts, labelled flag or split changed;
 * <li>writes invalid events as dead letters (cxr.catalog.dlq, reason INVALID_EVENT) to the outbox.
 * </ol>
 * Statements are sent as JDBC batches: a few round trips per batch whatever its size.
 */
final class IndexingBatch {
    static final long WRITE_LOCK = 0x43585243L; // "CXRC"
    static final String SOURCE = "/cxr/catalog-service";

    private static final String SUBJECT = "INSERT INTO subject (subject_id, first_seen_at)"
            + " SELECT s, ?::timestamptz FROM unnest(?::int[]) AS t(s) ON CONFLICT DO NOTHING";
    private static final String SPLIT = "INSERT INTO subject_split (subject_id, split, method, split_rule, assigned_at)"
            + " SELECT s, sp, 'ASSIGNED', ?, ?::timestamptz FROM unnest(?::int[], ?::text[]) AS t(s, sp) ON CONFLICT DO NOTHING";
    private static final String STUDY_STUB = "INSERT INTO study (study_id, subject_id, state, change_seq, state_since, updated_at)"
            + " SELECT st, su, 'RECEIVED', 0, ?::timestamptz, ?::timestamptz FROM unnest(?::int[], ?::int[]) AS t(st, su)"
            + " ON CONFLICT DO NOTHING RETURNING study_id";
    // Each fact upsert writes only when the incoming fact wins the fact's total order (text compared
    // in the C collation, as Java compares strings when it picks the winner among duplicates of a batch).
    private static final String IMAGE_RECEIVED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, dicom_bucket, dicom_key,"
            + " dicom_sha256, dicom_bytes, transfer_syntax_uid, sop_class_uid, source, received_at, updated_at)"
            + " SELECT d, st, su, b, k, h, n, ts, sop, src, at::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[]) AS t(d, st, su, b, k, h, n, ts, sop, src, at)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET dicom_bucket = EXCLUDED.dicom_bucket, dicom_key = EXCLUDED.dicom_key,"
            + " dicom_sha256 = EXCLUDED.dicom_sha256, dicom_bytes = EXCLUDED.dicom_bytes,"
            + " transfer_syntax_uid = EXCLUDED.transfer_syntax_uid, sop_class_uid = EXCLUDED.sop_class_uid,"
            + " source = EXCLUDED.source, received_at = EXCLUDED.received_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.received_at IS NULL OR (EXCLUDED.received_at, EXCLUDED.dicom_sha256 COLLATE \"C\")"
            + " > (i.received_at, i.dicom_sha256 COLLATE \"C\")"
            + " RETURNING i.study_id";
    private static final String IMAGE_CONVERTED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, jpg_bucket, jpg_key,"
            + " jpg_bytes, source_sha256, constant_image, converter_version, converted_at,"
            + " performed_procedure_step_description, view_position, image_rows, image_columns, study_date, study_time,"
            + " procedure_code_meaning, view_code_meaning, patient_orientation_code_meaning, updated_at)"
            + " SELECT d, st, su, b, k, n, h, ci, v, at::timestamptz, pp, vp, r, c, sd, stm, pc, vc, po, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::bool[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS t(d, st, su, b, k, n, h, ci, v, at, pp, vp, r, c, sd, stm, pc, vc, po)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET jpg_bucket = EXCLUDED.jpg_bucket, jpg_key = EXCLUDED.jpg_key,"
            + " jpg_bytes = EXCLUDED.jpg_bytes, source_sha256 = EXCLUDED.source_sha256,"
            + " constant_image = EXCLUDED.constant_image, converter_version = EXCLUDED.converter_version,"
            + " converted_at = EXCLUDED.converted_at,"
            + " performed_procedure_step_description = EXCLUDED.performed_procedure_step_description,"
            + " view_position = EXCLUDED.view_position, image_rows = EXCLUDED.image_rows,"
            + " image_columns = EXCLUDED.image_columns, study_date = EXCLUDED.study_date,"
            + " study_time = EXCLUDED.study_time, procedure_code_meaning = EXCLUDED.procedure_code_meaning,"
            + " view_code_meaning = EXCLUDED.view_code_meaning,"
            + " patient_orientation_code_meaning = EXCLUDED.patient_orientation_code_meaning,"
            + " updated_at = EXCLUDED.updated_at"
            + " WHERE i.converted_at IS NULL OR (EXCLUDED.converted_at, EXCLUDED.converter_version COLLATE \"C\","
            + " EXCLUDED.source_sha256 COLLATE \"C\", EXCLUDED.jpg_key COLLATE \"C\") > (i.converted_at,"
            + " i.converter_version COLLATE \"C\", i.source_sha256 COLLATE \"C\", i.jpg_key COLLATE \"C\")"
            + " RETURNING i.study_id";
    private static final String IMAGE_FAILED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, failure_reason,"
            + " failure_message, failed_at, updated_at)"
            + " SELECT d, st, su, r, m, at::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[]) AS t(d, st, su, r, m, at)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason COLLATE \"C\","
            + " EXCLUDED.failure_message COLLATE \"C\") > (i.failed_at, i.failure_reason COLLATE \"C\","
            + " i.failure_message COLLATE \"C\")"
            + " RETURNING i.study_id";
    private static final String REPORT_RECEIVED = "INSERT INTO report_revision AS r (study_id, sha256, revision, report_bucket,"
            + " report_key, size_bytes, source, received_at)"
            + " SELECT st, h, rv, b, k, n, src, at::timestamptz"
            + " FROM unnest(?::int[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
            + " AS t(st, h, rv, b, k, n, src, at)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET revision = EXCLUDED.revision,"
            + " report_bucket = EXCLUDED.report_bucket, report_key = EXCLUDED.report_key,"
            + " size_bytes = EXCLUDED.size_bytes, source = EXCLUDED.source, received_at = EXCLUDED.received_at"
            + " WHERE r.revision IS NULL OR (EXCLUDED.revision, EXCLUDED.received_at) > (r.revision, r.received_at)"
            + " RETURNING r.study_id";
    private static final String REPORT_FAILED = "INSERT INTO report_revision AS r (study_id, sha256, failure_reason,"
            + " failure_message, failed_at)"
            + " SELECT st, h, rs, m, at::timestamptz FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS t(st, h, rs, m, at)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at"
            + " WHERE r.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason COLLATE \"C\","
            + " EXCLUDED.failure_message COLLATE \"C\") > (r.failed_at, r.failure_reason COLLATE \"C\","
            + " r.failure_message COLLATE \"C\")"
            + " RETURNING r.study_id";
    private static final String REPORT_LABELLED = "INSERT INTO report_labelling AS l (study_id, report_sha256, labeler_version,"
            + " report_key, section, section_text, chexpert, negbio, labelled_at)"
            + " SELECT st, h, v, k, sec, txt, cx::smallint[], nb::smallint[], at::timestamptz"
            + " FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS t(st, h, v, k, sec, txt, cx, nb, at)"
            + " ON CONFLICT (study_id, report_sha256, labeler_version) DO UPDATE SET report_key = EXCLUDED.report_key,"
            + " section = EXCLUDED.section, section_text = EXCLUDED.section_text, chexpert = EXCLUDED.chexpert,"
            + " negbio = EXCLUDED.negbio, labelled_at = EXCLUDED.labelled_at"
            + " WHERE EXCLUDED.labelled_at > l.labelled_at"
            + " RETURNING l.study_id";
    private static final String DEAD_LETTER = "INSERT INTO dead_letter (event_id, topic, stage, reason, message, subject_id,"
            + " study_id, dicom_id, original_topic, original_event_id, payload, failed_at, recorded_at)"
            + " SELECT e, tp, sg, rs, m, su, st, d, ot, oe, pl, at::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[]) AS t(e, tp, sg, rs, m, su, st, d, ot, oe, pl, at)"
            + " ON CONFLICT DO NOTHING";
    private static final String OUTBOX = "INSERT INTO outbox (topic, event_key, event_id, event_type, payload, created_at)"
            + " SELECT tp, k, e, ty, pl, ?::timestamptz FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " WITH ORDINALITY AS t(tp, k, e, ty, pl, o) ORDER BY o";
    private static final String LOAD_REVISIONS = "SELECT study_id, sha256, revision, report_key, received_at, failure_reason,"
            + " failure_message FROM report_revision WHERE study_id = ANY (?)";
    private static final String LOAD_LABELLINGS = "SELECT study_id, report_sha256, labeler_version, report_key, section,"
            + " section_text, chexpert, negbio, labelled_at FROM report_labelling WHERE study_id = ANY (?)";
    private static final String UPSERT_REPORT = "INSERT INTO report AS r (study_id, status, report_key, report_sha256, revision,"
            + " section, section_text, labeler_version, labelled_at, failure_reason, failure_message, updated_at)"
            + " SELECT st, ss, k, h, rv, sec, txt, v, la::timestamptz, fr, fm, ?::timestamptz"
            + " FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[]) AS t(st, ss, k, h, rv, sec, txt, v, la, fr, fm)"
            + " ON CONFLICT (study_id) DO UPDATE SET status = EXCLUDED.status, report_key = EXCLUDED.report_key,"
            + " report_sha256 = EXCLUDED.report_sha256, revision = EXCLUDED.revision, section = EXCLUDED.section,"
            + " section_text = EXCLUDED.section_text, labeler_version = EXCLUDED.labeler_version,"
            + " labelled_at = EXCLUDED.labelled_at, failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, updated_at = EXCLUDED.updated_at";
    private static final String UPSERT_LABEL;
    private static final String DELETE_LABEL = "DELETE FROM study_label l USING unnest(?::int[], ?::text[]) AS t(st, lb)"
            + " WHERE l.study_id = t.st AND l.labeler = t.lb";
    private static final String LOAD_STUDIES = "SELECT s.study_id, s.subject_id, s.state, s.images_known, s.images_converted,"
            + " s.images_failed, s.labelled, s.split, s.change_seq, ss.split AS subject_split, r.status AS report_status,"
            + " r.failure_reason AS report_failure, a.known, a.converted, a.failed, a.dates, a.views, a.image_failures,"
            + " EXISTS (SELECT 1 FROM report_revision rr WHERE rr.study_id = s.study_id AND rr.revision IS NOT NULL) AS report_received"
            + " FROM study s"
            + " LEFT JOIN subject_split ss ON ss.subject_id = s.subject_id"
            + " LEFT JOIN report r ON r.study_id = s.study_id"
            + " LEFT JOIN LATERAL (SELECT count(*) AS known,"
            + "   count(*) FILTER (WHERE i.status = 'CONVERTED') AS converted,"
            + "   count(*) FILTER (WHERE i.status = 'FAILED') AS failed,"
            + "   array_agg(i.study_date) FILTER (WHERE i.status = 'CONVERTED' AND i.study_date IS NOT NULL) AS dates,"
            + "   array_agg(i.view_position) FILTER (WHERE i.status = 'CONVERTED' AND i.view_position <> '') AS views,"
            + "   array_agg(i.failure_reason) FILTER (WHERE i.status = 'FAILED') AS image_failures"
            + "   FROM image i WHERE i.study_id = s.study_id) a ON true"
            + " WHERE s.study_id = ANY (?) ORDER BY s.study_id";
    // change_seq values are drawn in study_id order (deterministic within the transaction)
    private static final String UPDATE_STUDY = "UPDATE study s SET state = u.state, images_known = u.known,"
            + " images_converted = u.conv, images_failed = u.failed, report_received = u.rr, labelled = u.lab,"
            + " report_failed = u.rf, study_date = u.sd::date, view_positions = u.vp::varchar(64)[], split = u.sp,"
            + " failure_reason = u.fr,"
            + " change_seq = u.seq,"
            + " state_since = CASE WHEN s.state = u.state AND s.change_seq <> 0 THEN s.state_since ELSE ?::timestamptz END,"
            + " updated_at = ?::timestamptz"
            + " FROM (SELECT x.*, nextval('change_seq') AS seq FROM unnest(?::int[], ?::text[], ?::int[], ?::int[], ?::int[],"
            + " ?::bool[], ?::bool[], ?::bool[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
            + " AS x(study_id, state, known, conv, failed, rr, lab, rf, sd, vp, sp, fr, o) ORDER BY x.o) u"
            + " WHERE s.study_id = u.study_id";

    static {
        StringBuilder cols = new StringBuilder();
        StringBuilder sel = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder alias = new StringBuilder();
        StringBuilder set = new StringBuilder();
        String[] c = org.cxr.catalog.repository.entity.StudyLabelEntity.COLUMNS;
        for (int i = 0; i < c.length; i++) {
            cols.append(", ").append(c[i]);
            sel.append(", v").append(i);
            arrays.append(", ?::int2[]");
            alias.append(", v").append(i);
            set.append(c[i]).append(" = EXCLUDED.").append(c[i]).append(", ");
        }
        UPSERT_LABEL = "INSERT INTO study_label (study_id, labeler" + cols + ", labeler_version, report_sha256)"
                + " SELECT st, lb" + sel + ", lv, h FROM unnest(?::int[], ?::text[]" + arrays + ", ?::text[], ?::text[])"
                + " AS t(st, lb" + alias + ", lv, h)"
                + " ON CONFLICT (study_id, labeler) DO UPDATE SET " + set
                + "labeler_version = EXCLUDED.labeler_version, report_sha256 = EXCLUDED.report_sha256";
    }

    /** What a batch did, and how long its steps took (ms). */
    record Outcome(int facts, int invalid, int deadLettersSeen, int studiesChanged, int eventsEmitted, String timings) {
    }

    private final Connection c;
    private final SplitAssigner splits;
    private final Timestamp now;
    private final String nowText;
    private final StringBuilder timings = new StringBuilder();
    private long lap = System.nanoTime();

    IndexingBatch(Connection connection, SplitAssigner splits, Instant now) {
        this.c = connection;
        this.splits = splits;
        this.now = Timestamp.from(now);
        this.nowText = now.toString();
    }

    private void lap(String step) {
        long t = System.nanoTime();
        timings.append(step).append('=').append((t - lap) / 100_000 / 10.0).append(' ');
        lap = t;
    }

    Outcome apply(List<DecodedEvent> events) throws SQLException {
        Map<Integer, Integer> studySubjects = new TreeMap<>();
        Set<Integer> subjects = new TreeSet<>();
        List<Fact> facts = new ArrayList<>();
        List<DecodedEvent> invalid = new ArrayList<>();
        List<DecodedEvent> seenDeadLetters = new ArrayList<>();
        for (DecodedEvent e : events) {
            if (e.invalid()) {
                invalid.add(e);
                continue;
            }
            if (e.deadLetterSeen() != null) {
                seenDeadLetters.add(e);
            }
            if (e.fact() != null) {
                Fact f = e.fact();
                facts.add(f);
                int subject = Integer.parseInt(f.subjectId());
                subjects.add(subject);
                studySubjects.putIfAbsent(Integer.parseInt(f.studyId()), subject);
            }
        }

        Set<Integer> changed = new TreeSet<>();
        Set<Integer> reportChanged = new TreeSet<>();
        if (!facts.isEmpty()) {
            Integer[] subjectIds = subjects.toArray(Integer[]::new);
            String[] assigned = new String[subjectIds.length];
            for (int i = 0; i < subjectIds.length; i++) {
                assigned[i] = splits.assign(Integer.toString(subjectIds[i])).value();
            }
            update(SUBJECT, nowText, array("int4", subjectIds));
            update(SPLIT, splits.rule(), nowText, array("int4", subjectIds), array("text", assigned));
            changed.addAll(returningStudies(STUDY_STUB, nowText, nowText,
                    array("int4", studySubjects.keySet().toArray(Integer[]::new)),
                    array("int4", studySubjects.values().toArray(Integer[]::new))));
            lap("subjects");
            upsertFacts(facts, changed, reportChanged);
            lap("facts");
        }
        if (!seenDeadLetters.isEmpty()) {
            insertDeadLetters(seenDeadLetters.stream().map(e -> new DeadLetterRow(e.deadLetterSeen(), e.eventId(),
                    e.raw().topic(), e.raw().value())).toList());
        }
        // Facts are written; the derivation is serialised: every transaction that changed a study's
        // facts re-derives it here, under the lock, before committing, so the last one to do so sees
        // all of them (READ COMMITTED); and change_seq numbers are drawn in commit order.
        lock();
        lap("lock");
        if (!reportChanged.isEmpty()) {
            resolveReports(reportChanged);
        }
        lap("reports");
        List<StudyIndexed> emitted = changed.isEmpty() ? List.of() : recomputeStudies(changed);
        lap("studies");
        List<DeadLetter> rejected = new ArrayList<>();
        for (DecodedEvent e : invalid) {
            rejected.add(catalogDeadLetter(e, FailureReason.INVALID_EVENT, e.invalidReason()));
        }
        if (!rejected.isEmpty()) {
            insertDeadLetters(rejected.stream().map(d -> new DeadLetterRow(d, d.eventId(), Topics.CATALOG_DLQ,
                    EventJson.write(d))).toList());
        }
        writeOutbox(emitted, rejected);
        lap("outbox");
        return new Outcome(facts.size(), invalid.size(), seenDeadLetters.size(), changed.size(), emitted.size(),
                timings.toString());
    }

    /**
     * Recomputes the derived rows (report, study_label, study) of the given studies from their
     * facts, as indexing does; with {@code emit}, writes StudyIndexed for those whose state changed.
     */
    int recompute(Set<Integer> studies, boolean emit) throws SQLException {
        lock();
        Set<Integer> withReports = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT study_id FROM report_revision WHERE study_id = ANY (?)"
                + " UNION SELECT study_id FROM report_labelling WHERE study_id = ANY (?)")) {
            ps.setArray(1, ints(studies));
            ps.setArray(2, ints(studies));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    withReports.add(rs.getInt(1));
                }
            }
        }
        if (!withReports.isEmpty()) {
            resolveReports(withReports);
        }
        List<StudyIndexed> events = recomputeStudies(new TreeSet<>(studies));
        if (emit) {
            writeOutbox(events, List.of());
        }
        return studies.size();
    }

    /** A dead letter for an event that broke the batch (a database error), recorded alone. */
    void recordFailure(DecodedEvent e, String message) throws SQLException {
        DeadLetter d = catalogDeadLetter(e, FailureReason.INTERNAL_ERROR, message);
        insertDeadLetters(List.of(new DeadLetterRow(d, d.eventId(), Topics.CATALOG_DLQ, EventJson.write(d))));
        writeOutbox(List.of(), List.of(d));
    }

    private void lock() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
        }
    }

    /**
     * The catalog's dead letter of a record: ids from the parsed event (or the record key), and as
     * original event id the record's CloudEvents id, else its payload id, else topic:partition:offset,
     * so that every rejected record has its own deterministic dead-letter id.
     */
    private DeadLetter catalogDeadLetter(DecodedEvent e, FailureReason reason, String message) {
        DeadLetter base = DeadLetters.of("catalog", reason, message, e.raw().topic(), e.event(), e.raw().value(),
                dicomIdOf(e));
        String studyId = base.studyId() != null ? base.studyId()
                : org.cxr.events.Ids.isStudyId(e.raw().key()) ? e.raw().key() : null;
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, "catalog", reason, message, base.subjectId(), studyId,
                base.dicomId(), e.raw().topic(), e.eventId(), base.originalEventType(), base.originalEvent(),
                now.toInstant());
    }

    // ---- facts ------------------------------------------------------------------------------

    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());

    /**
     * Keeps, per key, the fact that wins the given order (as the SQL upserts would), sorted by key:
     * concurrent batches then lock rows in the same order and cannot deadlock each other.
     */
    private static <T, K extends Comparable<K>> List<T> winners(List<T> items, Function<T, K> key, Comparator<T> order) {
        Map<K, T> m = new TreeMap<>();
        for (T t : items) {
            m.merge(key.apply(t), t, (a, b) -> order.compare(b, a) > 0 ? b : a);
        }
        return new ArrayList<>(m.values());
    }

    private void upsertFacts(List<Fact> facts, Set<Integer> changed, Set<Integer> reportChanged) throws SQLException {
        List<InstanceReceived> received = new ArrayList<>();
        List<InstanceConverted> converted = new ArrayList<>();
        List<Fact.ImageFailed> imageFailed = new ArrayList<>();
        List<ReportReceived> reports = new ArrayList<>();
        List<Fact.ReportFailed> reportFailed = new ArrayList<>();
        List<ReportLabelled> labelled = new ArrayList<>();
        for (Fact f : facts) {
            if (f instanceof Fact.ImageReceived r) {
                received.add(r.event());
            } else if (f instanceof Fact.ImageConverted r) {
                converted.add(r.event());
            } else if (f instanceof Fact.ImageFailed r) {
                imageFailed.add(r);
            } else if (f instanceof Fact.ReportRevisionReceived r) {
                reports.add(r.event());
            } else if (f instanceof Fact.ReportFailed r) {
                reportFailed.add(r);
            } else if (f instanceof Fact.ReportLabelledFact r) {
                labelled.add(r.event());
            }
        }
        if (!received.isEmpty()) {
            var rows = winners(received, InstanceReceived::dicomId, Comparator
                    .comparing((InstanceReceived e) -> micros(e.receivedAt())).thenComparing(InstanceReceived::sha256, TEXT));
            changed.addAll(returningStudies(IMAGE_RECEIVED, nowText,
                    text(rows, InstanceReceived::dicomId), int4(rows, e -> Integer.parseInt(e.studyId())),
                    int4(rows, e -> Integer.parseInt(e.subjectId())), text(rows, InstanceReceived::bucket),
                    text(rows, InstanceReceived::objectKey), text(rows, InstanceReceived::sha256),
                    int8(rows, InstanceReceived::sizeBytes), text(rows, InstanceReceived::transferSyntaxUid),
                    text(rows, InstanceReceived::sopClassUid), text(rows, e -> e.source() == null ? null : e.source().name()),
                    text(rows, e -> micros(e.receivedAt()).toString())));
        }
        if (!converted.isEmpty()) {
            var rows = winners(converted, InstanceConverted::dicomId, Comparator
                    .comparing((InstanceConverted e) -> micros(e.convertedAt())).thenComparing(InstanceConverted::converterVersion, TEXT)
                    .thenComparing(InstanceConverted::sourceSha256, TEXT).thenComparing(InstanceConverted::jpgKey, TEXT));
            changed.addAll(returningStudies(IMAGE_CONVERTED, nowText,
                    text(rows, InstanceConverted::dicomId), int4(rows, e -> Integer.parseInt(e.studyId())),
                    int4(rows, e -> Integer.parseInt(e.subjectId())), text(rows, InstanceConverted::bucket),
                    text(rows, InstanceConverted::jpgKey), int8(rows, InstanceConverted::jpgBytes),
                    text(rows, InstanceConverted::sourceSha256), array("bool", rows.stream()
                            .map(InstanceConverted::constantImage).toArray(Boolean[]::new)),
                    text(rows, InstanceConverted::converterVersion), text(rows, e -> micros(e.convertedAt()).toString()),
                    text(rows, e -> e.metadata().performedProcedureStepDescription()),
                    text(rows, e -> e.metadata().viewPosition()), int4(rows, e -> e.metadata().rows()),
                    int4(rows, e -> e.metadata().columns()), text(rows, e -> e.metadata().studyDate()),
                    text(rows, e -> e.metadata().studyTime()),
                    text(rows, e -> e.metadata().procedureCodeSequenceCodeMeaning()),
                    text(rows, e -> e.metadata().viewCodeSequenceCodeMeaning()),
                    text(rows, e -> e.metadata().patientOrientationCodeSequenceCodeMeaning())));
        }
        if (!imageFailed.isEmpty()) {
            var rows = winners(imageFailed.stream().map(IndexingBatch::normalised).toList(), Fact.ImageFailed::dicomId,
                    Comparator.comparing((Fact.ImageFailed e) -> micros(e.failedAt())).thenComparing(Fact.ImageFailed::reason, TEXT)
                            .thenComparing(Fact.ImageFailed::message, TEXT));
            changed.addAll(returningStudies(IMAGE_FAILED, nowText,
                    text(rows, Fact.ImageFailed::dicomId), int4(rows, e -> Integer.parseInt(e.studyId())),
                    int4(rows, e -> Integer.parseInt(e.subjectId())), text(rows, Fact.ImageFailed::reason),
                    text(rows, Fact.ImageFailed::message), text(rows, e -> micros(e.failedAt()).toString())));
        }
        if (!reports.isEmpty()) {
            var rows = winners(reports, e -> e.studyId() + ":" + e.sha256(), Comparator
                    .comparingInt(ReportReceived::revision).thenComparing(e -> micros(e.receivedAt())));
            List<Integer> s = returningStudies(REPORT_RECEIVED,
                    int4(rows, e -> Integer.parseInt(e.studyId())), text(rows, ReportReceived::sha256),
                    int4(rows, ReportReceived::revision), text(rows, ReportReceived::bucket),
                    text(rows, ReportReceived::objectKey), int8(rows, ReportReceived::sizeBytes),
                    text(rows, e -> e.source() == null ? null : e.source().name()),
                    text(rows, e -> micros(e.receivedAt()).toString()));
            changed.addAll(s);
            reportChanged.addAll(s);
        }
        if (!reportFailed.isEmpty()) {
            var rows = winners(reportFailed.stream().map(IndexingBatch::normalised).toList(),
                    e -> e.studyId() + ":" + e.reportSha256(), Comparator.comparing((Fact.ReportFailed e) -> micros(e.failedAt()))
                            .thenComparing(Fact.ReportFailed::reason, TEXT).thenComparing(Fact.ReportFailed::message, TEXT));
            List<Integer> s = returningStudies(REPORT_FAILED,
                    int4(rows, e -> Integer.parseInt(e.studyId())), text(rows, Fact.ReportFailed::reportSha256),
                    text(rows, Fact.ReportFailed::reason), text(rows, Fact.ReportFailed::message),
                    text(rows, e -> micros(e.failedAt()).toString()));
            changed.addAll(s);
            reportChanged.addAll(s);
        }
        if (!labelled.isEmpty()) {
            var rows = winners(labelled, e -> e.studyId() + ":" + e.reportSha256() + ":" + e.labelerVersion(),
                    Comparator.comparing((ReportLabelled e) -> micros(e.labelledAt())));
            List<Integer> s = returningStudies(REPORT_LABELLED,
                    int4(rows, e -> Integer.parseInt(e.studyId())), text(rows, ReportLabelled::reportSha256),
                    text(rows, ReportLabelled::labelerVersion), text(rows, ReportLabelled::reportKey),
                    text(rows, e -> e.section().name()), text(rows, ReportLabelled::sectionText),
                    text(rows, e -> e.section() == ReportSection.NONE || e.chexpert() == null ? null
                            : arrayLiteral(vector(e.chexpert()))),
                    text(rows, e -> e.section() == ReportSection.NONE || e.negbio() == null ? null
                            : arrayLiteral(vector(e.negbio()))),
                    text(rows, e -> micros(e.labelledAt()).toString()));
            changed.addAll(s);
            reportChanged.addAll(s);
        }
    }

    /**
     * A time as PostgreSQL stores it (microseconds, rounded half up): facts are compared in Java
     * (duplicates within a batch) and in SQL (against stored rows) on the same values.
     */
    static Instant micros(Instant t) {
        long nanos = t.getNano() % 1000;
        Instant down = t.minusNanos(nanos);
        return nanos >= 500 ? down.plusNanos(1000) : down;
    }

    private static Fact.ImageFailed normalised(Fact.ImageFailed f) {
        return new Fact.ImageFailed(f.subjectId(), f.studyId(), f.dicomId(), f.reason(),
                f.message() == null ? "" : f.message(), f.failedAt() == null ? Instant.EPOCH : f.failedAt());
    }

    private static Fact.ReportFailed normalised(Fact.ReportFailed f) {
        return new Fact.ReportFailed(f.subjectId(), f.studyId(), f.reportSha256(), f.reason(),
                f.message() == null ? "" : f.message(), f.failedAt() == null ? Instant.EPOCH : f.failedAt());
    }

    private record DeadLetterRow(DeadLetter d, String eventId, String topic, String payload) {
    }

    private void insertDeadLetters(List<DeadLetterRow> all) throws SQLException {
        List<DeadLetterRow> rows = winners(all, DeadLetterRow::eventId, (a, b) -> 0);
        update(DEAD_LETTER, nowText, text(rows, DeadLetterRow::eventId), text(rows, DeadLetterRow::topic),
                text(rows, r -> r.d().stage()), text(rows, r -> r.d().reason() == null ? null : r.d().reason().name()),
                text(rows, r -> r.d().message()), int4(rows, r -> parseId(r.d().subjectId())),
                int4(rows, r -> parseId(r.d().studyId())), text(rows, r -> r.d().dicomId()),
                text(rows, r -> r.d().originalTopic()), text(rows, r -> r.d().originalEventId()),
                text(rows, DeadLetterRow::payload),
                text(rows, r -> r.d().failedAt() == null ? null : r.d().failedAt().toString()));
    }

    // ---- derived rows -----------------------------------------------------------------------

    private void resolveReports(Set<Integer> studies) throws SQLException {
        Map<Integer, List<RevisionFact>> revisions = new HashMap<>();
        Map<Integer, List<LabellingFact>> labellings = new HashMap<>();
        Array ids = ints(studies);
        try (PreparedStatement ps = c.prepareStatement(LOAD_REVISIONS)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    revisions.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new RevisionFact(
                            rs.getString(2), (Integer) rs.getObject(3), rs.getString(4), instant(rs.getTimestamp(5)),
                            rs.getString(6), rs.getString(7)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(LOAD_LABELLINGS)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labellings.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new LabellingFact(
                            rs.getString(2), rs.getString(3), rs.getString(4), ReportSection.valueOf(rs.getString(5)),
                            rs.getString(6), shortArray(rs.getArray(7)), shortArray(rs.getArray(8)),
                            instant(rs.getTimestamp(9))));
                }
            }
        }
        List<Integer> order = new ArrayList<>(studies);
        List<String[]> reportRows = new ArrayList<>();
        List<Integer> revisionsShown = new ArrayList<>();
        List<Object[]> upserts = new ArrayList<>();
        List<Object[]> deletes = new ArrayList<>();
        for (Integer s : order) {
            ReportView v = ReportResolver.resolve(revisions.getOrDefault(s, List.of()), labellings.getOrDefault(s, List.of()));
            LabellingFact cur = v.current();
            RevisionFact shown = v.shown();
            boolean showLabelling = cur != null && (v.status() == ReportStatus.LABELLED || shown == null
                    || shown.sha256().equals(cur.reportSha256()));
            reportRows.add(new String[] {v.status().name(),
                    shown != null && shown.reportKey() != null ? shown.reportKey() : cur == null ? null : cur.reportKey(),
                    shown != null ? shown.sha256() : cur == null ? null : cur.reportSha256(),
                    showLabelling ? cur.section().name() : null, showLabelling ? cur.sectionText() : null,
                    showLabelling ? cur.labelerVersion() : null, showLabelling ? cur.labelledAt().toString() : null,
                    v.failed() && shown != null ? shown.failureReason() : null,
                    v.failed() && shown != null ? shown.failureMessage() : null});
            revisionsShown.add(v.currentRevision());
            for (String labeler : List.of("chexpert", "negbio")) {
                Short[] values = !v.hasLabelRows() ? null : labeler.equals("chexpert") ? cur.chexpert() : cur.negbio();
                if (values == null) {
                    deletes.add(new Object[] {s, labeler});
                } else {
                    upserts.add(new Object[] {s, labeler, values, cur.labelerVersion(), cur.reportSha256()});
                }
            }
        }
        update(UPSERT_REPORT, nowText, array("int4", order.toArray(Integer[]::new)), column(reportRows, 0),
                column(reportRows, 1), column(reportRows, 2), array("int4", revisionsShown.toArray(Integer[]::new)),
                column(reportRows, 3), column(reportRows, 4), column(reportRows, 5), column(reportRows, 6),
                column(reportRows, 7), column(reportRows, 8));
        if (!upserts.isEmpty()) {
            Object[] params = new Object[2 + 14 + 2];
            params[0] = array("int4", upserts.stream().map(r -> (Integer) r[0]).toArray(Integer[]::new));
            params[1] = array("text", upserts.stream().map(r -> (String) r[1]).toArray(String[]::new));
            for (int i = 0; i < 14; i++) {
                int k = i;
                params[2 + i] = array("int2", upserts.stream().map(r -> ((Short[]) r[2])[k]).toArray(Short[]::new));
            }
            params[16] = array("text", upserts.stream().map(r -> (String) r[3]).toArray(String[]::new));
            params[17] = array("text", upserts.stream().map(r -> (String) r[4]).toArray(String[]::new));
            update(UPSERT_LABEL, params);
        }
        if (!deletes.isEmpty()) {
            update(DELETE_LABEL, array("int4", deletes.stream().map(r -> (Integer) r[0]).toArray(Integer[]::new)),
                    array("text", deletes.stream().map(r -> (String) r[1]).toArray(String[]::new)));
        }
    }

    private List<StudyIndexed> recomputeStudies(Set<Integer> studies) throws SQLException {
        record Recomputed(int studyId, int subjectId, StudyState state, int known, int converted, int failed,
                boolean reportReceived, boolean labelled, boolean reportFailed, LocalDate date, String[] views,
                String split, String failureReason, boolean emit) {
        }
        List<Recomputed> updates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD_STUDIES)) {
            ps.setArray(1, ints(studies));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int known = rs.getInt("known");
                    int conv = rs.getInt("converted");
                    int failed = rs.getInt("failed");
                    String reportStatus = rs.getString("report_status");
                    boolean labelled = ReportStatus.LABELLED.name().equals(reportStatus);
                    boolean reportFailed = ReportStatus.FAILED.name().equals(reportStatus);
                    StudyState state = StudyStateRule.derive(known, conv, failed, labelled, reportFailed);
                    String split = rs.getString("subject_split");
                    boolean emit = rs.getLong("change_seq") == 0
                            || !state.name().equals(rs.getString("state"))
                            || known != rs.getInt("images_known") || conv != rs.getInt("images_converted")
                            || failed != rs.getInt("images_failed") || labelled != rs.getBoolean("labelled")
                            || !Objects.equals(split, rs.getString("split"));
                    String failureReason = state != StudyState.FAILED ? null
                            : reportFailed && !labelled ? rs.getString("report_failure") : mostCommon(rs.getArray("image_failures"));
                    updates.add(new Recomputed(rs.getInt("study_id"), rs.getInt("subject_id"), state, known, conv, failed,
                            rs.getBoolean("report_received"), labelled, reportFailed, earliest(rs.getArray("dates")),
                            sorted(rs.getArray("views")), split, failureReason, emit));
                }
            }
        }
        if (!updates.isEmpty()) {
            update(UPDATE_STUDY, nowText, nowText,
                    int4(updates, Recomputed::studyId), text(updates, u -> u.state().name()),
                    int4(updates, Recomputed::known), int4(updates, Recomputed::converted), int4(updates, Recomputed::failed),
                    array("bool", updates.stream().map(Recomputed::reportReceived).toArray(Boolean[]::new)),
                    array("bool", updates.stream().map(Recomputed::labelled).toArray(Boolean[]::new)),
                    array("bool", updates.stream().map(Recomputed::reportFailed).toArray(Boolean[]::new)),
                    text(updates, u -> u.date() == null ? null : u.date().toString()),
                    text(updates, u -> arrayLiteral(u.views())), text(updates, Recomputed::split),
                    text(updates, Recomputed::failureReason));
        }
        List<StudyIndexed> events = new ArrayList<>();
        for (Recomputed u : updates) {
            if (u.emit()) {
                events.add(new StudyIndexed(StudyIndexed.SCHEMA_VERSION, Integer.toString(u.subjectId()),
                        Integer.toString(u.studyId()), u.state(), u.known(), u.converted(), u.failed(), u.labelled(),
                        u.split(), now.toInstant()));
            }
        }
        return events;
    }

    private void writeOutbox(List<StudyIndexed> indexed, List<DeadLetter> rejected) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        for (StudyIndexed e : indexed) {
            rows.add(new String[] {Topics.STUDY_INDEXED, e.studyId(), e.eventId(), e.eventType(), EventJson.write(e)});
        }
        for (DeadLetter d : rejected) {
            rows.add(new String[] {Topics.CATALOG_DLQ, d.studyId(), d.eventId(), d.eventType(), EventJson.write(d)});
        }
        if (!rows.isEmpty()) {
            update(OUTBOX, nowText, column(rows, 0), column(rows, 1), column(rows, 2), column(rows, 3), column(rows, 4));
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private void update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    /** Runs an upsert ... RETURNING study_id; the studies whose rows were inserted or changed. */
    private List<Integer> returningStudies(String sql, Object... params) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Array a) {
                ps.setArray(i + 1, a);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    private Array array(String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    private <T> Array text(List<T> rows, Function<T, String> f) throws SQLException {
        return array("text", rows.stream().map(f).toArray(String[]::new));
    }

    private <T> Array int4(List<T> rows, Function<T, Integer> f) throws SQLException {
        return array("int4", rows.stream().map(f).toArray(Integer[]::new));
    }

    private <T> Array int8(List<T> rows, Function<T, Long> f) throws SQLException {
        return array("int8", rows.stream().map(f).toArray(Long[]::new));
    }

    private Array column(List<String[]> rows, int i) throws SQLException {
        return array("text", rows.stream().map(r -> r[i]).toArray(String[]::new));
    }

    /** A PostgreSQL array literal ({@code {1,NULL,-1}}, {@code {AP,PA}}) for simple values. */
    private static String arrayLiteral(Object[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values[i];
            if (v == null) {
                sb.append("NULL");
            } else {
                sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString();
    }

    private static Short[] vector(LabelVector v) {
        Observation[] obs = Observation.values();
        Short[] out = new Short[obs.length];
        for (int i = 0; i < obs.length; i++) {
            Double d = v.get(obs[i]);
            out[i] = d == null ? null : (short) d.intValue();
        }
        return out;
    }

    private Array ints(Set<Integer> values) throws SQLException {
        return c.createArrayOf("int4", values.toArray(Integer[]::new));
    }

    private static Short[] shortArray(Array a) throws SQLException {
        if (a == null) {
            return null;
        }
        Object o = a.getArray();
        if (o instanceof Short[] s) {
            return s;
        }
        Object[] objs = (Object[]) o;
        Short[] out = new Short[objs.length];
        for (int i = 0; i < objs.length; i++) {
            out[i] = objs[i] == null ? null : ((Number) objs[i]).shortValue();
        }
        return out;
    }

    private static LocalDate earliest(Array dates) throws SQLException {
        if (dates == null) {
            return null;
        }
        LocalDate min = null;
        for (Object o : (Object[]) dates.getArray()) {
            LocalDate d = MimicFormat.studyDateValue((String) o);
            if (d != null && (min == null || d.isBefore(min))) {
                min = d;
            }
        }
        return min;
    }

    /** Distinct values, sorted (aggregated without DISTINCT: no sort in the database). */
    private static String[] sorted(Array views) throws SQLException {
        if (views == null) {
            return new String[0];
        }
        return Arrays.stream((Object[]) views.getArray()).map(String::valueOf).distinct().sorted().toArray(String[]::new);
    }

    /** The most frequent value; ties go to the smallest (so the result does not depend on row order). */
    private static String mostCommon(Array values) throws SQLException {
        if (values == null) {
            return null;
        }
        Map<String, Integer> n = new TreeMap<>();
        for (Object o : (Object[]) values.getArray()) {
            if (o != null) {
                n.merge((String) o, 1, Integer::sum);
            }
        }
        String best = null;
        for (Map.Entry<String, Integer> e : n.entrySet()) {
            if (best == null || e.getValue() > n.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
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

    private static String dicomIdOf(DecodedEvent e) {
        if (e.event() instanceof InstanceReceived r) {
            return r.dicomId();
        }
        if (e.event() instanceof InstanceConverted r) {
            return r.dicomId();
        }
        return null;
    }
}
