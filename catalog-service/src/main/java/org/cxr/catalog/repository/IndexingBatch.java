package org.cxr.catalog.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

    private static final String SUBJECT = "INSERT INTO subject (subject_id, first_seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String SPLIT = "INSERT INTO subject_split (subject_id, split, method, split_rule, assigned_at)"
            + " VALUES (?, ?, 'ASSIGNED', ?, ?) ON CONFLICT DO NOTHING";
    private static final String STUDY_STUB = "INSERT INTO study (study_id, subject_id, state, change_seq, state_since, updated_at)"
            + " VALUES (?, ?, 'RECEIVED', 0, ?, ?) ON CONFLICT DO NOTHING";
    private static final String IMAGE_RECEIVED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, dicom_bucket, dicom_key,"
            + " dicom_sha256, dicom_bytes, transfer_syntax_uid, sop_class_uid, source, received_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET dicom_bucket = EXCLUDED.dicom_bucket, dicom_key = EXCLUDED.dicom_key,"
            + " dicom_sha256 = EXCLUDED.dicom_sha256, dicom_bytes = EXCLUDED.dicom_bytes,"
            + " transfer_syntax_uid = EXCLUDED.transfer_syntax_uid, sop_class_uid = EXCLUDED.sop_class_uid,"
            + " source = EXCLUDED.source, received_at = EXCLUDED.received_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.received_at IS NULL"
            + " OR (EXCLUDED.received_at, EXCLUDED.dicom_sha256) > (i.received_at, i.dicom_sha256)";
    private static final String IMAGE_CONVERTED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, jpg_bucket, jpg_key,"
            + " jpg_bytes, source_sha256, constant_image, converter_version, converted_at,"
            + " performed_procedure_step_description, view_position, image_rows, image_columns, study_date, study_time,"
            + " procedure_code_meaning, view_code_meaning, patient_orientation_code_meaning, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
            + " WHERE i.converted_at IS NULL OR (EXCLUDED.converted_at, EXCLUDED.converter_version, EXCLUDED.source_sha256,"
            + " EXCLUDED.jpg_key) > (i.converted_at, i.converter_version, i.source_sha256, i.jpg_key)";
    private static final String IMAGE_FAILED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, failure_reason,"
            + " failure_message, failed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason, EXCLUDED.failure_message)"
            + " > (i.failed_at, i.failure_reason, i.failure_message)";
    private static final String REPORT_RECEIVED = "INSERT INTO report_revision AS r (study_id, sha256, revision, report_bucket,"
            + " report_key, size_bytes, source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET revision = EXCLUDED.revision,"
            + " report_bucket = EXCLUDED.report_bucket, report_key = EXCLUDED.report_key,"
            + " size_bytes = EXCLUDED.size_bytes, source = EXCLUDED.source, received_at = EXCLUDED.received_at"
            + " WHERE r.revision IS NULL OR (EXCLUDED.revision, EXCLUDED.received_at) > (r.revision, r.received_at)";
    private static final String REPORT_FAILED = "INSERT INTO report_revision AS r (study_id, sha256, failure_reason,"
            + " failure_message, failed_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at"
            + " WHERE r.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason, EXCLUDED.failure_message)"
            + " > (r.failed_at, r.failure_reason, r.failure_message)";
    private static final String REPORT_LABELLED = "INSERT INTO report_labelling AS l (study_id, report_sha256, labeler_version,"
            + " report_key, section, section_text, chexpert, negbio, labelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (study_id, report_sha256, labeler_version) DO UPDATE SET report_key = EXCLUDED.report_key,"
            + " section = EXCLUDED.section, section_text = EXCLUDED.section_text, chexpert = EXCLUDED.chexpert,"
            + " negbio = EXCLUDED.negbio, labelled_at = EXCLUDED.labelled_at"
            + " WHERE EXCLUDED.labelled_at > l.labelled_at";
    private static final String DEAD_LETTER = "INSERT INTO dead_letter (event_id, topic, stage, reason, message, subject_id,"
            + " study_id, dicom_id, original_topic, original_event_id, payload, failed_at, recorded_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String OUTBOX = "INSERT INTO outbox (topic, event_key, event_id, event_type, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    private static final String LOAD_REVISIONS = "SELECT study_id, sha256, revision, report_key, received_at, failure_reason,"
            + " failure_message FROM report_revision WHERE study_id = ANY (?)";
    private static final String LOAD_LABELLINGS = "SELECT study_id, report_sha256, labeler_version, report_key, section,"
            + " section_text, chexpert, negbio, labelled_at FROM report_labelling WHERE study_id = ANY (?)";
    private static final String UPSERT_REPORT = "INSERT INTO report AS r (study_id, status, report_key, report_sha256, revision,"
            + " section, section_text, labeler_version, labelled_at, failure_reason, failure_message, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (study_id) DO UPDATE SET status = EXCLUDED.status, report_key = EXCLUDED.report_key,"
            + " report_sha256 = EXCLUDED.report_sha256, revision = EXCLUDED.revision, section = EXCLUDED.section,"
            + " section_text = EXCLUDED.section_text, labeler_version = EXCLUDED.labeler_version,"
            + " labelled_at = EXCLUDED.labelled_at, failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, updated_at = EXCLUDED.updated_at";
    private static final String UPSERT_LABEL;
    private static final String DELETE_LABEL = "DELETE FROM study_label WHERE study_id = ? AND labeler = ?";
    private static final String LOAD_STUDIES = "SELECT s.study_id, s.subject_id, s.state, s.images_known, s.images_converted,"
            + " s.images_failed, s.labelled, s.split, s.change_seq, ss.split AS subject_split, r.status AS report_status,"
            + " a.known, a.converted, a.failed, a.dates, a.views,"
            + " EXISTS (SELECT 1 FROM report_revision rr WHERE rr.study_id = s.study_id AND rr.revision IS NOT NULL) AS report_received"
            + " FROM study s"
            + " LEFT JOIN subject_split ss ON ss.subject_id = s.subject_id"
            + " LEFT JOIN report r ON r.study_id = s.study_id"
            + " LEFT JOIN LATERAL (SELECT count(*) AS known,"
            + "   count(*) FILTER (WHERE i.status = 'CONVERTED') AS converted,"
            + "   count(*) FILTER (WHERE i.status = 'FAILED') AS failed,"
            + "   array_agg(DISTINCT i.study_date) FILTER (WHERE i.status = 'CONVERTED' AND i.study_date IS NOT NULL) AS dates,"
            + "   array_agg(DISTINCT i.view_position) FILTER (WHERE i.status = 'CONVERTED' AND i.view_position <> '') AS views"
            + "   FROM image i WHERE i.study_id = s.study_id) a ON true"
            + " WHERE s.study_id = ANY (?)";
    private static final String UPDATE_STUDY = "UPDATE study SET state = ?, images_known = ?, images_converted = ?,"
            + " images_failed = ?, report_received = ?, labelled = ?, report_failed = ?, study_date = ?, view_positions = ?,"
            + " split = ?, change_seq = nextval('change_seq'),"
            + " state_since = CASE WHEN state = ? AND change_seq <> 0 THEN state_since ELSE ? END, updated_at = ?"
            + " WHERE study_id = ?";

    static {
        StringBuilder cols = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        StringBuilder set = new StringBuilder();
        for (String c : org.cxr.catalog.repository.entity.StudyLabelEntity.COLUMNS) {
            cols.append(", ").append(c);
            marks.append(", ?");
            set.append(c).append(" = EXCLUDED.").append(c).append(", ");
        }
        UPSERT_LABEL = "INSERT INTO study_label (study_id, labeler" + cols + ", labeler_version, report_sha256)"
                + " VALUES (?, ?" + marks + ", ?, ?) ON CONFLICT (study_id, labeler) DO UPDATE SET " + set
                + "labeler_version = EXCLUDED.labeler_version, report_sha256 = EXCLUDED.report_sha256";
    }

    /** What a batch did. */
    record Outcome(int facts, int invalid, int deadLettersSeen, int studiesChanged, int eventsEmitted) {
    }

    private final Connection c;
    private final SplitAssigner splits;
    private final Timestamp now;

    IndexingBatch(Connection connection, SplitAssigner splits, Instant now) {
        this.c = connection;
        this.splits = splits;
        this.now = Timestamp.from(now);
    }

    Outcome apply(List<DecodedEvent> events) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
        }
        Map<Integer, Integer> studySubjects = new LinkedHashMap<>();
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

        Set<Integer> changed = new LinkedHashSet<>();
        Set<Integer> reportChanged = new LinkedHashSet<>();
        if (!facts.isEmpty()) {
            batch(SUBJECT, subjects, (ps, s) -> {
                ps.setInt(1, s);
                ps.setTimestamp(2, now);
            });
            batch(SPLIT, subjects, (ps, s) -> {
                ps.setInt(1, s);
                ps.setString(2, splits.assign(Integer.toString(s)).value());
                ps.setString(3, splits.rule());
                ps.setTimestamp(4, now);
            });
            int[] stubs = batch(STUDY_STUB, studySubjects.entrySet(), (ps, e) -> {
                ps.setInt(1, e.getKey());
                ps.setInt(2, e.getValue());
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
            });
            int k = 0;
            for (Integer study : studySubjects.keySet()) {
                if (wrote(stubs[k++])) {
                    changed.add(study);
                }
            }
            upsertFacts(facts, changed, reportChanged);
        }
        if (!seenDeadLetters.isEmpty()) {
            batch(DEAD_LETTER, seenDeadLetters, (ps, e) -> deadLetterRow(ps, e.deadLetterSeen(), e.eventId(),
                    e.raw().topic(), e.raw().value()));
        }
        if (!reportChanged.isEmpty()) {
            resolveReports(reportChanged);
        }
        List<StudyIndexed> emitted = changed.isEmpty() ? List.of() : recomputeStudies(changed);
        List<DeadLetter> rejected = new ArrayList<>();
        for (DecodedEvent e : invalid) {
            rejected.add(catalogDeadLetter(e, FailureReason.INVALID_EVENT, e.invalidReason()));
        }
        if (!rejected.isEmpty()) {
            batch(DEAD_LETTER, rejected, (ps, d) -> deadLetterRow(ps, d, d.eventId(), Topics.CATALOG_DLQ,
                    EventJson.write(d)));
        }
        writeOutbox(emitted, rejected);
        return new Outcome(facts.size(), invalid.size(), seenDeadLetters.size(), changed.size(), emitted.size());
    }

    /** A dead letter for an event that broke the batch (a database error), recorded alone. */
    void recordFailure(DecodedEvent e, String message) throws SQLException {
        DeadLetter d = catalogDeadLetter(e, FailureReason.INTERNAL_ERROR, message);
        batch(DEAD_LETTER, List.of(d), (ps, x) -> deadLetterRow(ps, x, x.eventId(), Topics.CATALOG_DLQ, EventJson.write(x)));
        writeOutbox(List.of(), List.of(d));
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
        markChanged(changed, null, received, batch(IMAGE_RECEIVED, received, (ps, e) -> {
            ps.setString(1, e.dicomId());
            ps.setInt(2, Integer.parseInt(e.studyId()));
            ps.setInt(3, Integer.parseInt(e.subjectId()));
            ps.setString(4, e.bucket());
            ps.setString(5, e.objectKey());
            ps.setString(6, e.sha256());
            ps.setLong(7, e.sizeBytes());
            ps.setString(8, e.transferSyntaxUid());
            ps.setString(9, e.sopClassUid());
            ps.setString(10, e.source() == null ? null : e.source().name());
            ps.setTimestamp(11, Timestamp.from(e.receivedAt()));
            ps.setTimestamp(12, now);
        }), InstanceReceived::studyId);
        markChanged(changed, null, converted, batch(IMAGE_CONVERTED, converted, (ps, e) -> {
            ImageMetadata m = e.metadata();
            ps.setString(1, e.dicomId());
            ps.setInt(2, Integer.parseInt(e.studyId()));
            ps.setInt(3, Integer.parseInt(e.subjectId()));
            ps.setString(4, e.bucket());
            ps.setString(5, e.jpgKey());
            ps.setLong(6, e.jpgBytes());
            ps.setString(7, e.sourceSha256());
            ps.setBoolean(8, e.constantImage());
            ps.setString(9, e.converterVersion());
            ps.setTimestamp(10, Timestamp.from(e.convertedAt()));
            ps.setString(11, m.performedProcedureStepDescription());
            ps.setString(12, m.viewPosition());
            ps.setInt(13, m.rows());
            ps.setInt(14, m.columns());
            ps.setString(15, m.studyDate());
            ps.setString(16, m.studyTime());
            ps.setString(17, m.procedureCodeSequenceCodeMeaning());
            ps.setString(18, m.viewCodeSequenceCodeMeaning());
            ps.setString(19, m.patientOrientationCodeSequenceCodeMeaning());
            ps.setTimestamp(20, now);
        }), InstanceConverted::studyId);
        markChanged(changed, null, imageFailed, batch(IMAGE_FAILED, imageFailed, (ps, e) -> {
            ps.setString(1, e.dicomId());
            ps.setInt(2, Integer.parseInt(e.studyId()));
            ps.setInt(3, Integer.parseInt(e.subjectId()));
            ps.setString(4, e.reason());
            ps.setString(5, e.message() == null ? "" : e.message());
            ps.setTimestamp(6, Timestamp.from(e.failedAt() == null ? Instant.EPOCH : e.failedAt()));
            ps.setTimestamp(7, now);
        }), Fact.ImageFailed::studyId);
        markChanged(changed, reportChanged, reports, batch(REPORT_RECEIVED, reports, (ps, e) -> {
            ps.setInt(1, Integer.parseInt(e.studyId()));
            ps.setString(2, e.sha256());
            ps.setInt(3, e.revision());
            ps.setString(4, e.bucket());
            ps.setString(5, e.objectKey());
            ps.setLong(6, e.sizeBytes());
            ps.setString(7, e.source() == null ? null : e.source().name());
            ps.setTimestamp(8, Timestamp.from(e.receivedAt()));
        }), ReportReceived::studyId);
        markChanged(changed, reportChanged, reportFailed, batch(REPORT_FAILED, reportFailed, (ps, e) -> {
            ps.setInt(1, Integer.parseInt(e.studyId()));
            ps.setString(2, e.reportSha256());
            ps.setString(3, e.reason());
            ps.setString(4, e.message() == null ? "" : e.message());
            ps.setTimestamp(5, Timestamp.from(e.failedAt() == null ? Instant.EPOCH : e.failedAt()));
        }), Fact.ReportFailed::studyId);
        markChanged(changed, reportChanged, labelled, batch(REPORT_LABELLED, labelled, (ps, e) -> {
            boolean none = e.section() == ReportSection.NONE;
            ps.setInt(1, Integer.parseInt(e.studyId()));
            ps.setString(2, e.reportSha256());
            ps.setString(3, e.labelerVersion());
            ps.setString(4, e.reportKey());
            ps.setString(5, e.section().name());
            ps.setString(6, e.sectionText());
            ps.setArray(7, none || e.chexpert() == null ? null : shorts(vector(e.chexpert())));
            ps.setArray(8, none || e.negbio() == null ? null : shorts(vector(e.negbio())));
            ps.setTimestamp(9, Timestamp.from(e.labelledAt()));
        }), ReportLabelled::studyId);
    }

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
        Map<Integer, ReportView> views = new HashMap<>();
        for (Integer s : order) {
            views.put(s, ReportResolver.resolve(revisions.getOrDefault(s, List.of()), labellings.getOrDefault(s, List.of())));
        }
        batch(UPSERT_REPORT, order, (ps, s) -> {
            ReportView v = views.get(s);
            LabellingFact cur = v.current();
            RevisionFact shown = v.shown();
            boolean showLabelling = cur != null && (v.status() == ReportStatus.LABELLED || shown == null
                    || shown.sha256().equals(cur.reportSha256()));
            ps.setInt(1, s);
            ps.setString(2, v.status().name());
            ps.setString(3, shown != null && shown.reportKey() != null ? shown.reportKey() : cur == null ? null : cur.reportKey());
            ps.setString(4, shown != null ? shown.sha256() : cur == null ? null : cur.reportSha256());
            setInt(ps, 5, v.currentRevision());
            ps.setString(6, showLabelling ? cur.section().name() : null);
            ps.setString(7, showLabelling ? cur.sectionText() : null);
            ps.setString(8, showLabelling ? cur.labelerVersion() : null);
            ps.setTimestamp(9, showLabelling ? Timestamp.from(cur.labelledAt()) : null);
            ps.setString(10, v.failed() && shown != null ? shown.failureReason() : null);
            ps.setString(11, v.failed() && shown != null ? shown.failureMessage() : null);
            ps.setTimestamp(12, now);
        });
        List<Object[]> upserts = new ArrayList<>();
        List<Object[]> deletes = new ArrayList<>();
        for (Integer s : order) {
            ReportView v = views.get(s);
            LabellingFact cur = v.current();
            for (String labeler : List.of("chexpert", "negbio")) {
                Short[] values = !v.hasLabelRows() ? null : labeler.equals("chexpert") ? cur.chexpert() : cur.negbio();
                if (values == null) {
                    deletes.add(new Object[] {s, labeler});
                } else {
                    upserts.add(new Object[] {s, labeler, values, cur.labelerVersion(), cur.reportSha256()});
                }
            }
        }
        batch(UPSERT_LABEL, upserts, (ps, r) -> {
            ps.setInt(1, (Integer) r[0]);
            ps.setString(2, (String) r[1]);
            Short[] values = (Short[]) r[2];
            for (int i = 0; i < 14; i++) {
                if (values[i] == null) {
                    ps.setNull(3 + i, Types.SMALLINT);
                } else {
                    ps.setShort(3 + i, values[i]);
                }
            }
            ps.setString(17, (String) r[3]);
            ps.setString(18, (String) r[4]);
        });
        batch(DELETE_LABEL, deletes, (ps, r) -> {
            ps.setInt(1, (Integer) r[0]);
            ps.setString(2, (String) r[1]);
        });
    }

    private List<StudyIndexed> recomputeStudies(Set<Integer> studies) throws SQLException {
        record Recomputed(int studyId, int subjectId, StudyState state, int known, int converted, int failed,
                boolean reportReceived, boolean labelled, boolean reportFailed, LocalDate date, String[] views,
                String split, boolean emit) {
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
                    updates.add(new Recomputed(rs.getInt("study_id"), rs.getInt("subject_id"), state, known, conv, failed,
                            rs.getBoolean("report_received"), labelled, reportFailed, earliest(rs.getArray("dates")),
                            sorted(rs.getArray("views")), split, emit));
                }
            }
        }
        batch(UPDATE_STUDY, updates, (ps, u) -> {
            ps.setString(1, u.state().name());
            ps.setInt(2, u.known());
            ps.setInt(3, u.converted());
            ps.setInt(4, u.failed());
            ps.setBoolean(5, u.reportReceived());
            ps.setBoolean(6, u.labelled());
            ps.setBoolean(7, u.reportFailed());
            ps.setObject(8, u.date());
            ps.setArray(9, c.createArrayOf("varchar", u.views()));
            ps.setString(10, u.split());
            ps.setString(11, u.state().name());
            ps.setTimestamp(12, now);
            ps.setTimestamp(13, now);
            ps.setInt(14, u.studyId());
        });
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
        List<Object[]> rows = new ArrayList<>();
        for (StudyIndexed e : indexed) {
            rows.add(new Object[] {Topics.STUDY_INDEXED, e.studyId(), e.eventId(), e.eventType(), EventJson.write(e)});
        }
        for (DeadLetter d : rejected) {
            rows.add(new Object[] {Topics.CATALOG_DLQ, d.studyId(), d.eventId(), d.eventType(), EventJson.write(d)});
        }
        batch(OUTBOX, rows, (ps, r) -> {
            for (int i = 0; i < 5; i++) {
                ps.setString(i + 1, (String) r[i]);
            }
            ps.setTimestamp(6, now);
        });
    }

    private void deadLetterRow(PreparedStatement ps, DeadLetter d, String eventId, String topic, String payload)
            throws SQLException {
        ps.setString(1, eventId);
        ps.setString(2, topic);
        ps.setString(3, d.stage());
        ps.setString(4, d.reason() == null ? null : d.reason().name());
        ps.setString(5, d.message());
        setInt(ps, 6, parseId(d.subjectId()));
        setInt(ps, 7, parseId(d.studyId()));
        ps.setString(8, d.dicomId());
        ps.setString(9, d.originalTopic());
        ps.setString(10, d.originalEventId());
        ps.setString(11, payload);
        ps.setTimestamp(12, d.failedAt() == null ? null : Timestamp.from(d.failedAt()));
        ps.setTimestamp(13, now);
    }

    // --- helpers --------------------------------------------------------------------------

    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    private <T> int[] batch(String sql, Iterable<T> items, Binder<T> binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
                n++;
            }
            return n == 0 ? new int[0] : ps.executeBatch();
        }
    }

    private static boolean wrote(int count) {
        return count > 0 || count == Statement.SUCCESS_NO_INFO;
    }

    private static <T> void markChanged(Set<Integer> changed, Set<Integer> reportChanged, List<T> items, int[] counts,
            java.util.function.Function<T, String> studyOf) {
        for (int i = 0; i < counts.length; i++) {
            if (wrote(counts[i])) {
                int study = Integer.parseInt(studyOf.apply(items.get(i)));
                changed.add(study);
                if (reportChanged != null) {
                    reportChanged.add(study);
                }
            }
        }
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

    private Array shorts(Short[] values) throws SQLException {
        return c.createArrayOf("int2", values);
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

    private static String[] sorted(Array views) throws SQLException {
        if (views == null) {
            return new String[0];
        }
        String[] v = Arrays.stream((Object[]) views.getArray()).map(String::valueOf).toArray(String[]::new);
        Arrays.sort(v);
        return v;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
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
