package org.cxr.ingest.repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * ingest's tables (db/migration/V1__ingest.sql) through Hibernate ORM. Native SQL because the
 * intake relies on PostgreSQL's {@code insert ... on conflict do nothing} to stay correct under
 * concurrent uploads. Callers own the transactions.
 */
@ApplicationScoped
public class IngestRepository {
    @Inject
    EntityManager em;

    public record Subject(String subjectId, String origin, int dateOffsetDays) {
    }

    public record Study(String studyId, String subjectId, String origin) {
    }

    public record InstanceIdRow(String dicomId, String studyId) {
    }

    public record KnownInstance(String dicomId, String studyId, String subjectId, boolean stored) {
    }

    public record Instance(String dicomId, String studyId, String sourceSha256, String sha256) {
    }

    public record ReportRevision(int revision, String sourceSha256, String sha256) {
    }

    public record ImportRow(UUID id, String path, String layout, String state, String counters, Instant startedAt,
                            Instant updatedAt, Instant finishedAt) {
    }

    // ---- subjects ----------------------------------------------------------------------

    public Optional<Subject> subjectByPatientKey(String patientKey) {
        return first(em.createNativeQuery("select subject_id, origin, date_offset_days from subject where patient_key = ?1")
                .setParameter(1, patientKey).getResultList()).map(IngestRepository::subject);
    }

    public Optional<Subject> subject(String subjectId) {
        return first(em.createNativeQuery("select subject_id, origin, date_offset_days from subject where subject_id = ?1")
                .setParameter(1, subjectId).getResultList()).map(IngestRepository::subject);
    }

    /** @return false when the id or the patient key is taken (the caller re-reads to tell which) */
    public boolean insertSubject(String subjectId, String patientKey, String origin, int dateOffsetDays) {
        return em.createNativeQuery("insert into subject (subject_id, patient_key, origin, date_offset_days)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, subjectId).setParameter(2, patientKey).setParameter(3, origin)
                .setParameter(4, dateOffsetDays).executeUpdate() == 1;
    }

    /**
     * The subject of a patient key, created with the drawn id when the key is new: one statement.
     * Empty when the drawn id is taken by another patient, or when a concurrent transaction
     * created the patient after this statement began (the caller draws again and retries).
     */
    public Optional<Subject> subjectGetOrCreate(String drawnSubjectId, String patientKey, String origin, int dateOffsetDays) {
        return first(em.createNativeQuery("with ins as (insert into subject (subject_id, patient_key, origin, date_offset_days)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing returning subject_id, origin, date_offset_days)"
                        + " select subject_id, origin, date_offset_days from ins"
                        + " union all select subject_id, origin, date_offset_days from subject where patient_key = ?2")
                .setParameter(1, drawnSubjectId).setParameter(2, patientKey).setParameter(3, origin)
                .setParameter(4, dateOffsetDays).getResultList()).map(IngestRepository::subject);
    }

    /** All of a subject's name-token digests in one statement (known ones are left as they are). */
    public void addNameTokens(String subjectId, Set<String> tokenKeys) {
        if (tokenKeys.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("insert into subject_name_token (subject_id, token_key) values ");
        int p = 2;
        for (int i = 0; i < tokenKeys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?1, ?").append(p++).append(')');
        }
        var q = em.createNativeQuery(sql.append(" on conflict do nothing").toString()).setParameter(1, subjectId);
        p = 2;
        for (String k : tokenKeys) {
            q.setParameter(p++, k);
        }
        q.executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public Set<String> nameTokens(String subjectId) {
        List<Object> rows = em.createNativeQuery("select token_key from subject_name_token where subject_id = ?1")
                .setParameter(1, subjectId).getResultList();
        Set<String> keys = new HashSet<>();
        rows.forEach(r -> keys.add(r.toString()));
        return keys;
    }

    // ---- studies -----------------------------------------------------------------------

    public Optional<Study> studyByKey(String studyKey) {
        return first(em.createNativeQuery("select study_id, subject_id, origin from study where study_key = ?1")
                .setParameter(1, studyKey).getResultList()).map(IngestRepository::study);
    }

    public Optional<Study> study(String studyId) {
        return first(em.createNativeQuery("select study_id, subject_id, origin from study where study_id = ?1")
                .setParameter(1, studyId).getResultList()).map(IngestRepository::study);
    }

    /** Locks the study row for the rest of the transaction (serialises report revisions of one study). */
    public void lockStudy(String studyId) {
        em.createNativeQuery("select study_id from study where study_id = ?1 for update").setParameter(1, studyId)
                .getResultList();
    }

    /** The study of a study key, created with the drawn id when new: one statement (empty: draw again). */
    public Optional<Study> studyGetOrCreate(String drawnStudyId, String studyKey, String subjectId, String origin) {
        return first(em.createNativeQuery("with ins as (insert into study (study_id, study_key, subject_id, origin)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing returning study_id, subject_id, origin)"
                        + " select study_id, subject_id, origin from ins"
                        + " union all select study_id, subject_id, origin from study where study_key = ?2")
                .setParameter(1, drawnStudyId).setParameter(2, studyKey).setParameter(3, subjectId).setParameter(4, origin)
                .getResultList()).map(IngestRepository::study);
    }

    public boolean insertStudy(String studyId, String studyKey, String subjectId, String origin) {
        return em.createNativeQuery("insert into study (study_id, study_key, subject_id, origin)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, studyId).setParameter(2, studyKey).setParameter(3, subjectId).setParameter(4, origin)
                .executeUpdate() == 1;
    }

    // ---- instances ---------------------------------------------------------------------

    public Optional<InstanceIdRow> instanceIdByKey(String instanceKey) {
        return first(em.createNativeQuery("select dicom_id, study_id from instance_id where instance_key = ?1")
                .setParameter(1, instanceKey).getResultList())
                .map(r -> new InstanceIdRow(str(r[0]), str(r[1])));
    }

    /** An instance key's ids, its subject and whether the instance is stored: one statement. */
    public Optional<KnownInstance> knownInstance(String instanceKey) {
        return first(em.createNativeQuery("select i.dicom_id, i.study_id, st.subject_id,"
                        + " exists (select 1 from instance n where n.dicom_id = i.dicom_id)"
                        + " from instance_id i join study st on st.study_id = i.study_id where i.instance_key = ?1")
                .setParameter(1, instanceKey).getResultList())
                .map(r -> new KnownInstance(str(r[0]), str(r[1]), str(r[2]), (Boolean) r[3]));
    }

    /** The ids of an instance key, reserved with the drawn dicom_id when new: one statement (empty: draw again). */
    public Optional<InstanceIdRow> instanceIdGetOrCreate(String instanceKey, String drawnDicomId, String studyId) {
        return first(em.createNativeQuery("with ins as (insert into instance_id (instance_key, dicom_id, study_id)"
                        + " values (?1, ?2, ?3) on conflict do nothing returning dicom_id, study_id)"
                        + " select dicom_id, study_id from ins"
                        + " union all select dicom_id, study_id from instance_id where instance_key = ?1")
                .setParameter(1, instanceKey).setParameter(2, drawnDicomId).setParameter(3, studyId).getResultList())
                .map(r -> new InstanceIdRow(str(r[0]), str(r[1])));
    }

    public boolean dicomIdTaken(String dicomId) {
        return !em.createNativeQuery("select 1 from instance_id where dicom_id = ?1").setParameter(1, dicomId)
                .getResultList().isEmpty();
    }

    public boolean insertInstanceId(String instanceKey, String dicomId, String studyId) {
        return em.createNativeQuery("insert into instance_id (instance_key, dicom_id, study_id) values (?1, ?2, ?3)"
                        + " on conflict do nothing")
                .setParameter(1, instanceKey).setParameter(2, dicomId).setParameter(3, studyId).executeUpdate() == 1;
    }

    public Optional<Instance> instance(String dicomId) {
        return first(em.createNativeQuery("select dicom_id, study_id, source_sha256, sha256 from instance where dicom_id = ?1")
                .setParameter(1, dicomId).getResultList())
                .map(r -> new Instance(str(r[0]), str(r[1]), str(r[2]), str(r[3])));
    }

    /** @return false when the instance is already recorded (possibly by a concurrent upload) */
    public boolean insertInstance(String dicomId, String studyId, String sourceSha256, String sha256, long size,
                                  String objectKey, String transferSyntaxUid, String sopClassUid, String source,
                                  Instant receivedAt) {
        return em.createNativeQuery("insert into instance (dicom_id, study_id, source_sha256, sha256, size_bytes, object_key,"
                        + " transfer_syntax_uid, sop_class_uid, source, received_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict do nothing")
                .setParameter(1, dicomId).setParameter(2, studyId).setParameter(3, sourceSha256).setParameter(4, sha256)
                .setParameter(5, size).setParameter(6, objectKey).setParameter(7, transferSyntaxUid)
                .setParameter(8, sopClassUid).setParameter(9, source).setParameter(10, Timestamp.from(receivedAt))
                .executeUpdate() == 1;
    }

    public void insertConflict(String dicomId, String sourceSha256, long size, String source, Instant at) {
        em.createNativeQuery("insert into instance_conflict (dicom_id, source_sha256, size_bytes, source, received_at)"
                        + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, dicomId).setParameter(2, sourceSha256).setParameter(3, size).setParameter(4, source)
                .setParameter(5, Timestamp.from(at)).executeUpdate();
    }

    // ---- reports -----------------------------------------------------------------------

    public Optional<ReportRevision> latestReport(String studyId) {
        return first(em.createNativeQuery("select revision, source_sha256, sha256 from report_revision where study_id = ?1"
                        + " order by revision desc limit 1")
                .setParameter(1, studyId).getResultList())
                .map(r -> new ReportRevision(((Number) r[0]).intValue(), str(r[1]), str(r[2])));
    }

    public void insertReportRevision(String studyId, int revision, String sourceSha256, String sha256, long size,
                                     String objectKey, String source, Instant at) {
        em.createNativeQuery("insert into report_revision (study_id, revision, source_sha256, sha256, size_bytes, object_key,"
                        + " source, received_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, studyId).setParameter(2, revision).setParameter(3, sourceSha256).setParameter(4, sha256)
                .setParameter(5, size).setParameter(6, objectKey).setParameter(7, source).setParameter(8, Timestamp.from(at))
                .executeUpdate();
    }

    // ---- imports -----------------------------------------------------------------------

    public void upsertImport(ImportRow r) {
        em.createNativeQuery("insert into import_job (id, path, layout, state, counters, started_at, updated_at, finished_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict (id) do update set state = excluded.state,"
                        + " counters = excluded.counters, updated_at = excluded.updated_at, finished_at = excluded.finished_at")
                .setParameter(1, r.id()).setParameter(2, r.path()).setParameter(3, r.layout()).setParameter(4, r.state())
                .setParameter(5, r.counters()).setParameter(6, Timestamp.from(r.startedAt()))
                .setParameter(7, Timestamp.from(r.updatedAt()))
                .setParameter(8, r.finishedAt() == null ? null : Timestamp.from(r.finishedAt()))
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public List<ImportRow> imports(int limit) {
        List<Object[]> rows = em.createNativeQuery("select id, path, layout, state, counters, started_at, updated_at, finished_at"
                + " from import_job order by started_at desc limit ?1").setParameter(1, limit).getResultList();
        return rows.stream().map(IngestRepository::importRow).toList();
    }

    public Optional<ImportRow> importJob(UUID id) {
        return first(em.createNativeQuery("select id, path, layout, state, counters, started_at, updated_at, finished_at"
                + " from import_job where id = ?1").setParameter(1, id).getResultList()).map(IngestRepository::importRow);
    }

    /** Imports left running by a stopped service are marked as interrupted at start-up. */
    public int interruptRunningImports() {
        return em.createNativeQuery("update import_job set state = 'INTERRUPTED', updated_at = now() where state = 'RUNNING'")
                .executeUpdate();
    }

    // ---- helpers -----------------------------------------------------------------------

    private static ImportRow importRow(Object[] r) {
        return new ImportRow((UUID) r[0], str(r[1]), str(r[2]), str(r[3]), str(r[4]), instant(r[5]), instant(r[6]),
                r[7] == null ? null : instant(r[7]));
    }

    private static Instant instant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + o.getClass());
    }

    private static Subject subject(Object[] r) {
        return new Subject(str(r[0]), str(r[1]), ((Number) r[2]).intValue());
    }

    private static Study study(Object[] r) {
        return new Study(str(r[0]), str(r[1]), str(r[2]));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString().trim();
    }

    @SuppressWarnings("unchecked")
    private static Optional<Object[]> first(List<?> rows) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object r = rows.get(0);
        return Optional.of(r instanceof Object[] a ? a : new Object[] {r});
    }
}
