package org.cxr.ingest.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * ingest's tables (db/migration/V1__ingest.sql) in plain JDBC on the Agroal data source: ingest
 * has no object model to map, every statement is PostgreSQL SQL ({@code insert ... on conflict do
 * nothing} keeps the intake correct under concurrent uploads), and an ORM session per transaction
 * cost 12 % of the service's CPU at full upload rate (docs/benchmarks.md#ingest). Callers own the
 * transactions ({@code @Transactional}, JTA): inside one, every {@code getConnection()} returns the
 * transaction's enlisted connection. A database error surfaces as {@link DataRejected} when the
 * database refused a value (SQLSTATE class 22 data exception, 23 integrity constraint violation: the
 * same input fails the same way every time) and as {@link DatabaseUnavailable} otherwise (the
 * database is down, timed out, or a transaction conflicted: worth retrying).
 */
@ApplicationScoped
public class IngestRepository {
    @Inject
    DataSource dataSource;

    /** The database failed (down, or a statement failed): nothing of the transaction is committed. */
    public static class DatabaseUnavailable extends RuntimeException {
        public DatabaseUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The database refused a value of this input (e.g. a SOPClassUID longer than its column): retrying
     * cannot help. The message names the SQLSTATE, never the value.
     */
    public static class DataRejected extends RuntimeException {
        public DataRejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Permanent (the input's fault) or transient, by SQLSTATE class. */
    static RuntimeException failure(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return new DataRejected("the database refused a value of this input (SQLSTATE " + state + ")", e);
        }
        return new DatabaseUnavailable("database: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * One statement that inserts a row unless a unique key is taken and returns the new row, or
     * else the row already stored under {@code keyColumn} (the last parameter). Nothing comes back
     * when another unique column (a drawn id) was taken, or when a concurrent transaction inserted
     * the key after the statement began: the caller draws again and retries.
     */
    private static String getOrCreate(String table, String insertColumns, int values, String returned, String keyColumn) {
        return "with ins as (insert into " + table + " (" + insertColumns + ") values (" + "?, ".repeat(values - 1)
                + "?) on conflict do nothing returning " + returned + ") select " + returned + " from ins"
                + " union all select " + returned + " from " + table + " where " + keyColumn + " = ?";
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC)); // timestamptz
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    public record Subject(String subjectId, String origin, int dateOffsetDays) {
    }

    public record Study(String studyId, String subjectId, String origin) {
    }

    public record InstanceIdRow(String dicomId, String studyId) {
    }

    public record KnownInstance(String dicomId, String studyId, String subjectId, boolean stored) {
        public InstanceIdRow ids() {
            return new InstanceIdRow(dicomId, studyId);
        }
    }

    public record Instance(String dicomId, String studyId, String sourceSha256, String sha256) {
    }

    public record ReportRevision(int revision, String sourceSha256, String sha256) {
    }

    public record ImportRow(UUID id, String path, String layout, String state, String counters, Instant startedAt,
                            Instant updatedAt, Instant finishedAt) {
    }

    // ---- subjects ----------------------------------------------------------------------

    private static final String SUBJECT_COLUMNS = "subject_id, origin, date_offset_days";
    private static final String SUBJECT_GET_OR_CREATE = getOrCreate("subject",
            "subject_id, patient_key, origin, date_offset_days", 4, SUBJECT_COLUMNS, "patient_key");

    public Optional<Subject> subjectByPatientKey(String patientKey) {
        return first("select " + SUBJECT_COLUMNS + " from subject where patient_key = ?", IngestRepository::subject, patientKey);
    }

    public Optional<Subject> subject(String subjectId) {
        return first("select " + SUBJECT_COLUMNS + " from subject where subject_id = ?", IngestRepository::subject, subjectId);
    }

    /** @return false when the id or the patient key is taken (the caller re-reads to tell which) */
    public boolean insertSubject(String subjectId, String patientKey, String origin, int dateOffsetDays) {
        return update("insert into subject (subject_id, patient_key, origin, date_offset_days) values (?, ?, ?, ?)"
                + " on conflict do nothing", subjectId, patientKey, origin, dateOffsetDays) == 1;
    }

    /**
     * The subject of a patient key, created with the drawn id when the key is new: one statement.
     * Empty when the drawn id is taken by another patient, or when a concurrent transaction
     * created the patient after this statement began (the caller draws again and retries).
     */
    public Optional<Subject> subjectGetOrCreate(String drawnSubjectId, String patientKey, String origin, int dateOffsetDays) {
        return first(SUBJECT_GET_OR_CREATE, IngestRepository::subject,
                drawnSubjectId, patientKey, origin, dateOffsetDays, patientKey);
    }

    /** All of a subject's name-token digests in one statement (known ones are left as they are). */
    public void addNameTokens(String subjectId, Set<String> tokenKeys) {
        if (tokenKeys.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into subject_name_token (subject_id, token_key) values ");
        List<Object> params = new ArrayList<>();
        for (String k : tokenKeys) {
            sql.append(params.isEmpty() ? "" : ", ").append("(?, ?)");
            params.add(subjectId);
            params.add(k);
        }
        update(sql.append(" on conflict do nothing").toString(), params.toArray());
    }

    public Set<String> nameTokens(String subjectId) {
        return new HashSet<>(query("select token_key from subject_name_token where subject_id = ?",
                rs -> rs.getString(1).trim(), subjectId));
    }

    // ---- studies -----------------------------------------------------------------------

    private static final String STUDY_COLUMNS = "study_id, subject_id, origin";
    private static final String STUDY_GET_OR_CREATE = getOrCreate("study", "study_id, study_key, subject_id, origin", 4,
            STUDY_COLUMNS, "study_key");

    public Optional<Study> studyByKey(String studyKey) {
        return first("select " + STUDY_COLUMNS + " from study where study_key = ?", IngestRepository::study, studyKey);
    }

    public Optional<Study> study(String studyId) {
        return first("select " + STUDY_COLUMNS + " from study where study_id = ?", IngestRepository::study, studyId);
    }

    /** Locks the study row for the rest of the transaction (serialises report revisions of one study). */
    public void lockStudy(String studyId) {
        query("select study_id from study where study_id = ? for update", rs -> rs.getString(1), studyId);
    }

    /** The study of a study key, created with the drawn id when new: one statement (empty: draw again). */
    public Optional<Study> studyGetOrCreate(String drawnStudyId, String studyKey, String subjectId, String origin) {
        return first(STUDY_GET_OR_CREATE, IngestRepository::study, drawnStudyId, studyKey, subjectId, origin, studyKey);
    }

    public boolean insertStudy(String studyId, String studyKey, String subjectId, String origin) {
        return update("insert into study (study_id, study_key, subject_id, origin) values (?, ?, ?, ?) on conflict do nothing",
                studyId, studyKey, subjectId, origin) == 1;
    }

    // ---- instances ---------------------------------------------------------------------

    private static final String INSTANCE_ID_GET_OR_CREATE = getOrCreate("instance_id", "instance_key, dicom_id, study_id", 3,
            "dicom_id, study_id", "instance_key");

    public Optional<InstanceIdRow> instanceIdByKey(String instanceKey) {
        return first("select dicom_id, study_id from instance_id where instance_key = ?",
                rs -> new InstanceIdRow(str(rs, 1), str(rs, 2)), instanceKey);
    }

    /** An instance key's ids, its subject and whether the instance is stored: one statement. */
    public Optional<KnownInstance> knownInstance(String instanceKey) {
        return first("select i.dicom_id, i.study_id, st.subject_id,"
                + " exists (select 1 from instance n where n.dicom_id = i.dicom_id)"
                + " from instance_id i join study st on st.study_id = i.study_id where i.instance_key = ?",
                rs -> new KnownInstance(str(rs, 1), str(rs, 2), str(rs, 3), rs.getBoolean(4)), instanceKey);
    }

    /** The ids of an instance key, reserved with the drawn dicom_id when new: one statement (empty: draw again). */
    public Optional<InstanceIdRow> instanceIdGetOrCreate(String instanceKey, String drawnDicomId, String studyId) {
        return first(INSTANCE_ID_GET_OR_CREATE, rs -> new InstanceIdRow(str(rs, 1), str(rs, 2)),
                instanceKey, drawnDicomId, studyId, instanceKey);
    }

    public Optional<Instance> instance(String dicomId) {
        return first("select dicom_id, study_id, source_sha256, sha256 from instance where dicom_id = ?",
                rs -> new Instance(str(rs, 1), str(rs, 2), str(rs, 3), str(rs, 4)), dicomId);
    }

    /** @return false when the instance is already recorded (possibly by a concurrent upload) */
    public boolean insertInstance(String dicomId, String studyId, String sourceSha256, String sha256, long size,
                                  String objectKey, String transferSyntaxUid, String sopClassUid, String source,
                                  Instant receivedAt) {
        return update("insert into instance (dicom_id, study_id, source_sha256, sha256, size_bytes, object_key,"
                        + " transfer_syntax_uid, sop_class_uid, source, received_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                dicomId, studyId, sourceSha256, sha256, size, objectKey, transferSyntaxUid, sopClassUid, source,
                receivedAt) == 1;
    }

    public void insertConflict(String dicomId, String sourceSha256, long size, String source, Instant at) {
        update("insert into instance_conflict (dicom_id, source_sha256, size_bytes, source, received_at)"
                + " values (?, ?, ?, ?, ?) on conflict do nothing", dicomId, sourceSha256, size, source, at);
    }

    // ---- reports -----------------------------------------------------------------------

    public Optional<ReportRevision> latestReport(String studyId) {
        return first("select revision, source_sha256, sha256 from report_revision where study_id = ?"
                + " order by revision desc limit 1", rs -> new ReportRevision(rs.getInt(1), str(rs, 2), str(rs, 3)), studyId);
    }

    public void insertReportRevision(String studyId, int revision, String sourceSha256, String sha256, long size,
                                     String objectKey, String source, Instant at) {
        update("insert into report_revision (study_id, revision, source_sha256, sha256, size_bytes, object_key,"
                + " source, received_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                studyId, revision, sourceSha256, sha256, size, objectKey, source, at);
    }

    // ---- receipts ----------------------------------------------------------------------

    /** What a receipt stands for: an instance (dicomId) or a report revision (revision). */
    public record ReceiptRow(String receipt, String subjectId, String studyId, String dicomId, Integer revision) {
    }

    public void insertReceipt(String receipt, String studyId, String dicomId, Integer revision) {
        update("insert into receipt (receipt, study_id, dicom_id, revision) values (?, ?, ?, ?) on conflict do nothing",
                receipt, studyId, dicomId, revision);
    }

    public Optional<ReceiptRow> receipt(String receipt) {
        return first("select r.receipt, s.subject_id, r.study_id, r.dicom_id, r.revision from receipt r"
                + " join study s on s.study_id = r.study_id where r.receipt = ?",
                rs -> new ReceiptRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5)), receipt);
    }

    // ---- imports -----------------------------------------------------------------------

    private static final String IMPORT_COLUMNS = "id, path, layout, state, counters, started_at, updated_at, finished_at";

    /**
     * Saves an import's state. A row that is no longer RUNNING is final and kept: the 2-second
     * progress save can take its RUNNING view just before the import finishes and commit just
     * after the final save, which would otherwise show a finished import as running for good.
     */
    public void upsertImport(ImportRow r) {
        update("insert into import_job (" + IMPORT_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (id) do update set state = excluded.state, counters = excluded.counters,"
                + " updated_at = excluded.updated_at, finished_at = excluded.finished_at"
                + " where import_job.state = 'RUNNING'",
                r.id(), r.path(), r.layout(), r.state(), r.counters(), r.startedAt(), r.updatedAt(), r.finishedAt());
    }

    public List<ImportRow> imports(int limit) {
        return query("select " + IMPORT_COLUMNS + " from import_job order by started_at desc limit ?",
                IngestRepository::importRow, limit);
    }

    public Optional<ImportRow> importJob(UUID id) {
        return first("select " + IMPORT_COLUMNS + " from import_job where id = ?", IngestRepository::importRow, id);
    }

    /** Imports left running by a stopped service are marked as interrupted at start-up. */
    public int interruptRunningImports() {
        return update("update import_job set state = 'INTERRUPTED', updated_at = now() where state = 'RUNNING'");
    }

    // ---- helpers -----------------------------------------------------------------------

    private static ImportRow importRow(ResultSet rs) throws SQLException {
        return new ImportRow(rs.getObject(1, UUID.class), str(rs, 2), str(rs, 3), str(rs, 4), str(rs, 5), instant(rs, 6),
                instant(rs, 7), instant(rs, 8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Subject subject(ResultSet rs) throws SQLException {
        return new Subject(str(rs, 1), str(rs, 2), rs.getInt(3));
    }

    private static Study study(ResultSet rs) throws SQLException {
        return new Study(str(rs, 1), str(rs, 2), str(rs, 3));
    }

    /** char(n) columns come back blank-padded. */
    private static String str(ResultSet rs, int column) throws SQLException {
        String v = rs.getString(column);
        return v == null ? null : v.trim();
    }
}
