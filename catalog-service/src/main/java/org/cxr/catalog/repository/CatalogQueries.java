package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.cxr.catalog.repository.entity.ImageEntity;
import org.cxr.catalog.repository.entity.ReportEntity;
import org.cxr.catalog.repository.entity.SplitPinEntity;
import org.cxr.catalog.repository.entity.StudyEntity;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.catalog.repository.entity.SubjectEntity;
import org.cxr.catalog.repository.entity.SubjectSplitEntity;

import io.agroal.api.AgroalDataSource;

/** Reads of single studies, images and subjects (by primary key or a small index range). */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CatalogQueries {
    @Inject
    EntityManager em;
    @Inject
    AgroalDataSource dataSource;

    public StudyEntity study(int studyId) {
        return em.find(StudyEntity.class, studyId);
    }

    public List<ImageEntity> imagesOfStudy(int studyId) {
        return em.createQuery("from ImageEntity i where i.studyId = :s order by i.dicomId", ImageEntity.class)
                .setParameter("s", studyId).getResultList();
    }

    /**
     * Images of several studies (a page of GET /images), ordered by study_id, dicom_id; read with
     * plain JDBC into detached entities (this is on the hot query path).
     */
    public List<ImageEntity> imagesOfStudies(Collection<Integer> studyIds) {
        if (studyIds.isEmpty()) {
            return List.of();
        }
        List<ImageEntity> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT dicom_id, study_id, subject_id, status,"
                     + " dicom_bucket, dicom_key, dicom_sha256, dicom_bytes, transfer_syntax_uid, sop_class_uid, source,"
                     + " received_at, jpg_bucket, jpg_key, jpg_bytes, source_sha256, constant_image, converter_version,"
                     + " converted_at, performed_procedure_step_description, view_position, image_rows, image_columns,"
                     + " study_date, study_time, procedure_code_meaning, view_code_meaning, patient_orientation_code_meaning,"
                     + " failure_reason, failure_message, failed_at, updated_at"
                     + " FROM image WHERE study_id = ANY (?) ORDER BY study_id, dicom_id")) {
            ps.setArray(1, c.createArrayOf("int4", studyIds.toArray(Integer[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ImageEntity i = new ImageEntity();
                    int k = 1;
                    i.dicomId = rs.getString(k++);
                    i.studyId = rs.getInt(k++);
                    i.subjectId = rs.getInt(k++);
                    i.status = rs.getString(k++);
                    i.dicomBucket = rs.getString(k++);
                    i.dicomKey = rs.getString(k++);
                    i.dicomSha256 = rs.getString(k++);
                    i.dicomBytes = (Long) rs.getObject(k++);
                    i.transferSyntaxUid = rs.getString(k++);
                    i.sopClassUid = rs.getString(k++);
                    i.source = rs.getString(k++);
                    i.receivedAt = instant(rs.getTimestamp(k++));
                    i.jpgBucket = rs.getString(k++);
                    i.jpgKey = rs.getString(k++);
                    i.jpgBytes = (Long) rs.getObject(k++);
                    i.sourceSha256 = rs.getString(k++);
                    i.constantImage = (Boolean) rs.getObject(k++);
                    i.converterVersion = rs.getString(k++);
                    i.convertedAt = instant(rs.getTimestamp(k++));
                    i.performedProcedureStepDescription = rs.getString(k++);
                    i.viewPosition = rs.getString(k++);
                    i.rows = (Integer) rs.getObject(k++);
                    i.columns = (Integer) rs.getObject(k++);
                    i.studyDate = rs.getString(k++);
                    i.studyTime = rs.getString(k++);
                    i.procedureCodeMeaning = rs.getString(k++);
                    i.viewCodeMeaning = rs.getString(k++);
                    i.patientOrientationCodeMeaning = rs.getString(k++);
                    i.failureReason = rs.getString(k++);
                    i.failureMessage = rs.getString(k++);
                    i.failedAt = instant(rs.getTimestamp(k++));
                    i.updatedAt = instant(rs.getTimestamp(k++));
                    out.add(i);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read images: " + e.getMessage(), e);
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public ImageEntity image(String dicomId) {
        return em.find(ImageEntity.class, dicomId);
    }

    public Map<String, StudyLabelEntity> labels(int studyId) {
        Map<String, StudyLabelEntity> m = new TreeMap<>();
        for (StudyLabelEntity l : em.createQuery("from StudyLabelEntity l where l.id.studyId = :s", StudyLabelEntity.class)
                .setParameter("s", studyId).getResultList()) {
            m.put(l.id.labeler, l);
        }
        return m;
    }

    public ReportEntity report(int studyId) {
        return em.find(ReportEntity.class, studyId);
    }

    public SubjectEntity subject(int subjectId) {
        return em.find(SubjectEntity.class, subjectId);
    }

    public SubjectSplitEntity split(int subjectId) {
        return em.find(SubjectSplitEntity.class, subjectId);
    }

    public List<StudyEntity> studiesOfSubject(int subjectId) {
        return em.createQuery("from StudyEntity s where s.subjectId = :s order by s.studyId", StudyEntity.class)
                .setParameter("s", subjectId).getResultList();
    }

    public List<SplitPinEntity> pins(int subjectId) {
        return em.createQuery("from SplitPinEntity p where p.subjectId = :s order by p.pinId", SplitPinEntity.class)
                .setParameter("s", subjectId).getResultList();
    }

    public List<SubjectSplitEntity> pinnedSubjects() {
        return em.createQuery("from SubjectSplitEntity s where s.method = :m order by s.subjectId", SubjectSplitEntity.class)
                .setParameter("m", SubjectSplitEntity.PINNED).getResultList();
    }

    /** split -> method -> number of subjects. */
    public Map<String, Map<String, Long>> splitCounts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Object[] r : em.createQuery("select s.split, s.method, count(s) from SubjectSplitEntity s"
                + " group by s.split, s.method", Object[].class).getResultList()) {
            out.computeIfAbsent((String) r[0], k -> new TreeMap<>()).put((String) r[1], (Long) r[2]);
        }
        return out;
    }

    /** The mention spans (JSON) of a report's labelling, or null. */
    public String mentions(int studyId, String reportSha256, String labelerVersion) {
        if (reportSha256 == null || labelerVersion == null) {
            return null;
        }
        List<?> r = em.createNativeQuery("SELECT mentions FROM report_labelling WHERE study_id = ?1 AND report_sha256 = ?2"
                + " AND labeler_version = ?3").setParameter(1, studyId).setParameter(2, reportSha256)
                .setParameter(3, labelerVersion).getResultList();
        return r.isEmpty() ? null : (String) r.get(0);
    }

    /** One thing that happened to a study: when, what, about which image or report, and how it ended. */
    public record HistoryEntry(Instant at, String what, String item, String detail) {
    }

    /** A study's history from its facts (images, report revisions, labellings, dead letters), oldest first. */
    public List<HistoryEntry> history(int studyId) {
        String sql = "SELECT received_at, 'instance received', dicom_id, null FROM image WHERE study_id = ?1"
                + " UNION ALL SELECT converted_at, 'instance converted', dicom_id, converter_version FROM image"
                + " WHERE study_id = ?1 AND converted_at IS NOT NULL"
                + " UNION ALL SELECT failed_at, 'conversion failed', dicom_id, failure_reason FROM image"
                + " WHERE study_id = ?1 AND failed_at IS NOT NULL"
                + " UNION ALL SELECT received_at, 'report received', 'revision ' || revision, null FROM report_revision"
                + " WHERE study_id = ?1 AND received_at IS NOT NULL"
                + " UNION ALL SELECT failed_at, 'report rejected', 'revision ' || revision, failure_reason FROM report_revision"
                + " WHERE study_id = ?1 AND failed_at IS NOT NULL"
                + " UNION ALL SELECT labelled_at, 'report labelled', labeler_version, section FROM report_labelling"
                + " WHERE study_id = ?1"
                + " UNION ALL SELECT recorded_at, 'dead letter (' || coalesce(stage, '?') || ')', dicom_id, reason"
                + " FROM dead_letter WHERE study_id = ?1"
                + " UNION ALL SELECT state_since, 'now ' || state, null, failure_reason FROM study WHERE study_id = ?1"
                + " ORDER BY 1, 2";
        List<HistoryEntry> out = new ArrayList<>();
        for (Object o : em.createNativeQuery(sql).setParameter(1, studyId).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new HistoryEntry(instant(r[0]), (String) r[1], (String) r[2], (String) r[3]));
        }
        return out;
    }

    private static Instant instant(Object t) {
        return t == null ? null : t instanceof Instant i ? i : t instanceof Timestamp ts ? ts.toInstant()
                : t instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.parse(t.toString());
    }
}
