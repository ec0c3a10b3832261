package org.cxr.ingest.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.ids.MimicPath;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.domain.ids.ResearchIds;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.repository.IngestRepository;
import org.cxr.ingest.repository.IngestRepository.Study;
import org.cxr.ingest.repository.IngestRepository.Subject;

/**
 * Research ids: looked up by keyed digest, or drawn at random and reserved under the tables'
 * unique constraints (drawing again on a collision). Reservations commit on their own, before the
 * object is stored, so every retry of an upload gets the same ids.
 */
@ApplicationScoped
public class IdentityService {
    private static final int MAX_DRAWS = 50;
    static final String ASSIGNED = "ASSIGNED";
    static final String MIMIC = "MIMIC";

    @Inject
    IngestRepository repo;
    @Inject
    Pseudonyms pseudonyms;

    private final ResearchIds draw = new ResearchIds();

    /** An instance ingest has reserved ids for; {@code stored} when it is recorded as received. */
    public record Known(ResearchIdentity ids, boolean stored) {
    }

    @Transactional
    public Optional<Known> known(String instanceKey) {
        return repo.instanceIdByKey(instanceKey).map(row -> {
            String subjectId = repo.study(row.studyId()).orElseThrow().subjectId();
            return new Known(new ResearchIdentity(subjectId, row.studyId(), row.dicomId(), 0),
                    repo.instance(row.dicomId()).isPresent());
        });
    }

    /** Ids for an instance of non-MIMIC input (REST, STOW-RS, folder, drop folder). */
    @Transactional
    public ResearchIdentity assign(InstanceHeader h, String instanceKey) throws IntakeRejected {
        Subject subject = subjectFor(h.issuerOfPatientId(), h.patientId());
        Set<String> tokenKeys = new HashSet<>();
        h.patientNameTokens().forEach(t -> tokenKeys.add(pseudonyms.nameToken(t)));
        repo.addNameTokens(subject.subjectId(), tokenKeys);
        Study study = studyFor(pseudonyms.study(h.studyInstanceUid()), subject);
        if (!study.subjectId().equals(subject.subjectId())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "study " + study.studyId()
                    + " was received before with another PatientID");
        }
        String dicomId = instanceIdFor(instanceKey, study.studyId());
        return new ResearchIdentity(subject.subjectId(), study.studyId(), dicomId, subject.dateOffsetDays());
    }

    /** Ids of a MIMIC-tree instance: taken from its path, checked against what ingest already knows. */
    @Transactional
    public ResearchIdentity mimic(MimicPath p, String instanceKey) throws IntakeRejected {
        mimicStudy(p);
        repo.insertInstanceId(instanceKey, p.dicomId(), p.studyId());
        var row = repo.instanceIdByKey(instanceKey);
        if (row.isEmpty()) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "dicom_id " + p.dicomId()
                    + " already belongs to another SOPInstanceUID");
        }
        if (!row.get().dicomId().equals(p.dicomId()) || !row.get().studyId().equals(p.studyId())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "this SOPInstanceUID was stored before as "
                    + row.get().studyId() + "/" + row.get().dicomId() + ", not " + p.studyId() + "/" + p.dicomId());
        }
        return new ResearchIdentity(p.subjectId(), p.studyId(), p.dicomId(), 0);
    }

    /** The subject and study of a MIMIC-tree path, created when new. */
    @Transactional
    public ResearchIdentity mimicStudy(MimicPath p) throws IntakeRejected {
        repo.insertSubject(p.subjectId(), null, MIMIC, 0);
        Subject s = repo.subject(p.subjectId()).orElseThrow();
        if (!MIMIC.equals(s.origin())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "subject " + p.subjectId()
                    + " is a research id ingest assigned to another patient");
        }
        repo.insertStudy(p.studyId(), null, p.subjectId(), MIMIC);
        Study st = repo.study(p.studyId()).orElseThrow();
        if (!MIMIC.equals(st.origin()) || !st.subjectId().equals(p.subjectId())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "study " + p.studyId() + " belongs to another subject");
        }
        return new ResearchIdentity(p.subjectId(), p.studyId(), null, 0);
    }

    /**
     * The study of a report sent by StudyInstanceUID. A study not seen yet is created when the
     * patient is given (reports may arrive before their images), else refused.
     */
    @Transactional
    public ResearchIdentity studyForReport(String studyInstanceUid, String patientId, String issuer) throws IntakeRejected {
        String key = pseudonyms.study(studyInstanceUid);
        Optional<Study> known = repo.studyByKey(key);
        Study study;
        if (known.isPresent()) {
            study = known.get();
            if (patientId != null && !patientId.isBlank()) {
                Optional<Subject> given = repo.subjectByPatientKey(pseudonyms.patient(issuer, patientId));
                if (given.isEmpty() || !given.get().subjectId().equals(study.subjectId())) {
                    throw new IntakeRejected(RejectReason.ID_CLASH, "study " + study.studyId()
                            + " belongs to another patient than the one given");
                }
            }
        } else {
            if (patientId == null || patientId.isBlank()) {
                throw new IntakeRejected(RejectReason.UNKNOWN_STUDY,
                        "no instance of this study was received yet; give patientId (and issuer) to create it");
            }
            study = studyFor(key, subjectFor(issuer, patientId));
        }
        Subject s = repo.subject(study.subjectId()).orElseThrow();
        return new ResearchIdentity(s.subjectId(), study.studyId(), null, s.dateOffsetDays());
    }

    /** Digests of the name tokens known for a subject (to scrub them from its reports). */
    @Transactional
    public Set<String> nameTokenKeys(String subjectId) {
        return repo.nameTokens(subjectId);
    }

    private Subject subjectFor(String issuer, String patientId) {
        String key = pseudonyms.patient(issuer, patientId);
        for (int i = 0; i < MAX_DRAWS; i++) {
            Optional<Subject> s = repo.subjectByPatientKey(key);
            if (s.isPresent()) {
                return s.get();
            }
            repo.insertSubject(draw.subjectId(), key, ASSIGNED, draw.dateOffsetDays());
            // inserted by us or by a concurrent upload of the same patient; else the drawn id was taken: draw again
        }
        throw new IllegalStateException("no free subject id after " + MAX_DRAWS + " draws");
    }

    private Study studyFor(String studyKey, Subject subject) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            Optional<Study> s = repo.studyByKey(studyKey);
            if (s.isPresent()) {
                return s.get();
            }
            repo.insertStudy(draw.studyId(), studyKey, subject.subjectId(), ASSIGNED);
        }
        throw new IllegalStateException("no free study id after " + MAX_DRAWS + " draws");
    }

    private String instanceIdFor(String instanceKey, String studyId) throws IntakeRejected {
        for (int i = 0; i < MAX_DRAWS; i++) {
            var row = repo.instanceIdByKey(instanceKey);
            if (row.isPresent()) {
                if (!row.get().studyId().equals(studyId)) {
                    throw new IntakeRejected(RejectReason.ID_CLASH,
                            "this SOPInstanceUID was received before in another study");
                }
                return row.get().dicomId();
            }
            repo.insertInstanceId(instanceKey, draw.dicomId(), studyId);
        }
        throw new IllegalStateException("no free dicom id after " + MAX_DRAWS + " draws");
    }
}
