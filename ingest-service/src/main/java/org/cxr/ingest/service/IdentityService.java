package org.cxr.ingest.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.ids.MimicPath;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.domain.ids.ResearchIds;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.repository.IngestRepository;
import org.cxr.ingest.repository.IngestRepository.InstanceIdRow;
import org.cxr.ingest.repository.IngestRepository.KnownInstance;
import org.cxr.ingest.repository.IngestRepository.Study;
import org.cxr.ingest.repository.IngestRepository.Subject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Research ids: looked up by keyed digest, or drawn at random and reserved under the tables'
 * unique constraints (drawing again on a collision), each get-or-create one statement.
 * Reservations commit on their own, before the object is stored, so every retry of an upload gets
 * the same ids.
 * <p>
 * A subject's or a study's row never changes once committed, so the mappings patient key →
 * subject, study key → study, the name tokens known for a subject and the MIMIC studies already
 * checked are kept in bounded in-memory caches, filled only after the transaction that read or
 * wrote them has committed (a rolled-back reservation is never cached). An instance of a known
 * study then costs one statement here.
 */
@ApplicationScoped
public class IdentityService {
    private static final int MAX_DRAWS = 50;
    private static final long CACHE_ENTRIES = 200_000;
    static final String ASSIGNED = "ASSIGNED";
    static final String MIMIC = "MIMIC";

    @Inject
    IngestRepository repo;
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    TransactionSynchronizationRegistry transactions;

    private final ResearchIds draw = new ResearchIds();
    private final Cache<String, Subject> subjectsByKey = Caffeine.newBuilder().maximumSize(CACHE_ENTRIES).build();
    private final Cache<String, Study> studiesByKey = Caffeine.newBuilder().maximumSize(CACHE_ENTRIES).build();
    private final Cache<String, Boolean> nameTokens = Caffeine.newBuilder().maximumSize(CACHE_ENTRIES).build();
    private final Cache<String, String> mimicStudies = Caffeine.newBuilder().maximumSize(CACHE_ENTRIES).build();

    /** An instance's ids; {@code stored} when it is already recorded as received (nothing was assigned). */
    public record Known(ResearchIdentity ids, boolean stored) {
    }

    /**
     * The ids of an instance, in one transaction: those of the stored instance when its
     * SOPInstanceUID was received before (for MIMIC input: under the same dicom_id), else the ids
     * assigned now ({@code mimic} null: drawn for non-MIMIC input; else taken from the path).
     */
    @Transactional
    public Known identify(InstanceHeader h, String instanceKey, MimicPath mimic) throws IntakeRejected {
        Optional<KnownInstance> known = repo.knownInstance(instanceKey);
        if (known.isPresent() && known.get().stored() && (mimic == null || known.get().dicomId().equals(mimic.dicomId()))) {
            KnownInstance k = known.get();
            return new Known(new ResearchIdentity(k.subjectId(), k.studyId(), k.dicomId(), 0), true);
        }
        return new Known(mimic == null ? assign(h, instanceKey, known) : mimic(mimic, instanceKey, known), false);
    }

    private ResearchIdentity assign(InstanceHeader h, String instanceKey, Optional<KnownInstance> known) throws IntakeRejected {
        Subject subject = subjectFor(h.issuerOfPatientId(), h.patientId());
        Set<String> tokenKeys = new HashSet<>();
        h.patientNameTokens().forEach(t -> tokenKeys.add(pseudonyms.nameToken(t)));
        addNameTokens(subject.subjectId(), tokenKeys);
        Study study = studyFor(pseudonyms.study(h.studyInstanceUid()), subject);
        if (!study.subjectId().equals(subject.subjectId())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "study " + study.studyId()
                    + " was received before with another PatientID");
        }
        String dicomId = instanceIdFor(instanceKey, study.studyId(), known);
        return new ResearchIdentity(subject.subjectId(), study.studyId(), dicomId, subject.dateOffsetDays());
    }

    private ResearchIdentity mimic(MimicPath p, String instanceKey, Optional<KnownInstance> known) throws IntakeRejected {
        mimicStudy(p);
        Optional<InstanceIdRow> row = known.map(KnownInstance::ids);
        if (row.isEmpty()) {
            row = repo.instanceIdGetOrCreate(instanceKey, p.dicomId(), p.studyId());
        }
        if (row.isEmpty()) {
            row = repo.instanceIdByKey(instanceKey); // reserved by a concurrent import that committed meanwhile?
        }
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
        if (p.subjectId().equals(mimicStudies.getIfPresent(p.studyId()))) {
            return new ResearchIdentity(p.subjectId(), p.studyId(), null, 0);
        }
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
        afterCommit(() -> mimicStudies.put(p.studyId(), p.subjectId()));
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
                        "no instance of this study was received yet; give the patient (X-Patient-ID, X-Issuer-Of-Patient-ID) to create it");
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
        // empty: the drawn id is another patient's, or a concurrent upload created this patient just now
        return cachedGetOrCreate(subjectsByKey, key, "subject",
                () -> repo.subjectGetOrCreate(draw.subjectId(), key, ASSIGNED, draw.dateOffsetDays()));
    }

    /**
     * The committed row under {@code key} from the cache, else from a get-or-create statement tried
     * with fresh draws until it answers; cached once this transaction commits.
     */
    private <T> T cachedGetOrCreate(Cache<String, T> cache, String key, String what, Supplier<Optional<T>> getOrCreate) {
        T cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        for (int i = 0; i < MAX_DRAWS; i++) {
            Optional<T> row = getOrCreate.get();
            if (row.isPresent()) {
                afterCommit(() -> cache.put(key, row.get()));
                return row.get();
            }
        }
        throw new IllegalStateException("no free " + what + " id after " + MAX_DRAWS + " draws");
    }

    private void addNameTokens(String subjectId, Set<String> tokenKeys) {
        Set<String> fresh = new HashSet<>();
        for (String k : tokenKeys) {
            if (nameTokens.getIfPresent(subjectId + ':' + k) == null) {
                fresh.add(k);
            }
        }
        if (!fresh.isEmpty()) {
            repo.addNameTokens(subjectId, fresh);
            afterCommit(() -> fresh.forEach(k -> nameTokens.put(subjectId + ':' + k, Boolean.TRUE)));
        }
    }

    private Study studyFor(String studyKey, Subject subject) {
        return cachedGetOrCreate(studiesByKey, studyKey, "study",
                () -> repo.studyGetOrCreate(draw.studyId(), studyKey, subject.subjectId(), ASSIGNED));
    }

    private String instanceIdFor(String instanceKey, String studyId, Optional<KnownInstance> known) throws IntakeRejected {
        Optional<InstanceIdRow> row = known.map(KnownInstance::ids);
        for (int i = 0; i < MAX_DRAWS && row.isEmpty(); i++) {
            row = repo.instanceIdGetOrCreate(instanceKey, draw.dicomId(), studyId);
        }
        if (row.isEmpty()) {
            throw new IllegalStateException("no free dicom id after " + MAX_DRAWS + " draws");
        }
        if (!row.get().studyId().equals(studyId)) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "this SOPInstanceUID was received before in another study");
        }
        return row.get().dicomId();
    }

    /** Runs {@code r} once the current transaction has committed (never after a rollback). */
    private void afterCommit(Runnable r) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    r.run();
                }
            }
        });
    }
}
