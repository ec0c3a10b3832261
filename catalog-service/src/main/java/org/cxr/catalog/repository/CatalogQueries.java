package org.cxr.catalog.repository;

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

/** Reads of single studies, images and subjects (by primary key or a small index range). */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CatalogQueries {
    @Inject
    EntityManager em;

    public StudyEntity study(int studyId) {
        return em.find(StudyEntity.class, studyId);
    }

    public List<ImageEntity> imagesOfStudy(int studyId) {
        return em.createQuery("from ImageEntity i where i.studyId = :s order by i.dicomId", ImageEntity.class)
                .setParameter("s", studyId).getResultList();
    }

    /** Images of several studies, ordered by subject_id, study_id, dicom_id. */
    public List<ImageEntity> imagesOfStudies(Collection<Integer> studyIds) {
        if (studyIds.isEmpty()) {
            return List.of();
        }
        return em.createQuery("from ImageEntity i where i.studyId in :s order by i.subjectId, i.studyId, i.dicomId",
                ImageEntity.class).setParameter("s", studyIds).getResultList();
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
}
