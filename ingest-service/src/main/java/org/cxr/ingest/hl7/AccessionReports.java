package org.cxr.ingest.hl7;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.deid.ReportScrubber;
import org.cxr.ingest.domain.deid.ReportText;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;
import org.cxr.ingest.service.IdentityService;
import org.cxr.ingest.service.IntakeService;
import org.cxr.ingest.service.ResearchIdentity;
import org.cxr.ingest.service.Unavailable;
import org.cxr.platform.logging.StudyLog;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.scheduler.Scheduled;

/**
 * Reports a RIS names by accession number (HL7 ORU^R01, or REST by accession), recorded through
 * the same intake as every report (scrubbing, revisions, storage, announcement).
 * <ul>
 * <li>With a StudyInstanceUID: that study, created like a REST report with a patient id when no
 * image came yet; the accession number must not belong to another study.</li>
 * <li>Without: the one study whose instances carry the accession number (several: refused, the
 * sender must add the UID). None yet: the report waits (scrubbed, identifiers as digests) for
 * {@code cxr.ingest.hl7.report-wait} and is recorded, in arrival order, once an instance with that
 * accession number arrives.</li>
 * <li>The patient the sender names (PID-3, any identifier) must be the study's patient when both
 * are known: else ID_CLASH, so a mistyped accession number cannot label another patient's images.</li>
 * <li>Only final (F) and corrected (C) results are recorded; a different text is a new revision,
 * the same text UNCHANGED. Preliminary (P), cancelled (X) and other statuses are acknowledged and
 * not stored: a research dataset wants the signed report, and there is no retraction event.</li>
 * </ul>
 */
@ApplicationScoped
public class AccessionReports {
    private static final Logger LOG = Logger.getLogger(AccessionReports.class);
    private static final int RESOLVE_BATCH = 50;
    /** The scheduled job that resolves waiting reports (its identity, to pause it). */
    static final String RESOLVER = "waiting-reports";

    @Inject
    Accessions accessions;
    @Inject
    IdentityService identities;
    @Inject
    IntakeService intake;
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    Hl7Config config;
    @Inject
    IngestConfig ingestConfig;
    @Inject
    MeterRegistry metrics;

    public RisOutcome receive(RisReport r, Source source) {
        try {
            if (!r.isFinal()) {
                count(source, "IGNORED", r.status());
                return RisOutcome.of(RisOutcome.Status.IGNORED, "NOT_FINAL", switch (r.status()) {
                    case "P" -> "preliminary result not stored; the final one (F) will be";
                    case "X" -> "cancelled: nothing stored (a report already stored stays)";
                    default -> "result status " + r.status() + " is not final: not stored";
                });
            }
            byte[] body = r.text() == null ? new byte[0] : r.text().getBytes(StandardCharsets.UTF_8);
            String key = pseudonyms.accession(r.accessionNumber());
            List<String> studies = accessions.studies(key);
            Optional<ResearchIdentity> byUid = r.studyInstanceUid() == null ? Optional.empty() : studyByUid(r);
            if (byUid.isPresent()) {
                ResearchIdentity ids = byUid.get();
                if (!studies.isEmpty() && !studies.contains(ids.studyId())) {
                    throw new IntakeRejected(RejectReason.ID_CLASH, "the accession number belongs to another study than the StudyInstanceUID");
                }
                accessions.remember(ids.studyId(), r.accessionNumber());
                return outcome(intake.receiveReport(ids, body, "UTF-8", r.patientNameTokens(), source));
            }
            if (studies.size() > 1) {
                throw new IntakeRejected(RejectReason.ID_CLASH, "the accession number belongs to " + studies.size()
                        + " studies; send the StudyInstanceUID with it");
            }
            Set<String> patientKeys = patientKeys(r.patientIds());
            if (studies.size() == 1) {
                Accessions.StudyRow study = accessions.study(studies.get(0)).orElseThrow();
                checkPatient(study, patientKeys);
                return outcome(intake.receiveReport(ids(study), body, "UTF-8", r.patientNameTokens(), source));
            }
            return hold(r, key, body, patientKeys, source);
        } catch (IntakeRejected e) {
            count(source, "REJECTED", e.reason().name());
            LOG.infof("report by accession number rejected (%s): %s", e.reason(), e.getMessage());
            return RisOutcome.of(RisOutcome.Status.REJECTED, e.reason().name(), e.getMessage());
        } catch (Unavailable | DatabaseUnavailable e) {
            LOG.warnf("report by accession number not recorded, a dependency is down: %s", e.getMessage());
            return RisOutcome.of(RisOutcome.Status.UNAVAILABLE, null, "temporarily unavailable");
        }
    }

    /**
     * The study of the report's StudyInstanceUID: a known one (its patient checked), or a new one
     * when the sender names the patient; empty when neither (the accession number decides then).
     */
    private Optional<ResearchIdentity> studyByUid(RisReport r) throws IntakeRejected {
        RisReport.PatientId p = preferred(r.patientIds());
        try {
            return Optional.of(identities.studyForReport(r.studyInstanceUid(), p == null ? null : p.id(), p == null ? null : issuer(p)));
        } catch (IntakeRejected e) {
            if (e.reason() == RejectReason.UNKNOWN_STUDY) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** No study carries the accession number yet: keep the report (scrubbed, identifiers as digests) until one does. */
    private RisOutcome hold(RisReport r, String key, byte[] body, Set<String> patientKeys, Source source) throws IntakeRejected {
        String text = ReportText.decode(body, "UTF-8", ingestConfig.maxReportBytes());
        String scrubbed = ReportScrubber.scrub(text, w -> r.patientNameTokens().stream().anyMatch(w::equalsIgnoreCase));
        Instant now = Instant.now();
        accessions.addPending(key, String.join(",", patientKeys), scrubbed, source.name(), now, now.plus(config.reportWait()));
        count(source, "WAITING", "");
        return RisOutcome.of(RisOutcome.Status.WAITING, "UNKNOWN_STUDY", "no images with this accession number yet:"
                + " the report is kept until they arrive (at most " + config.reportWait() + ")");
    }

    /**
     * Records the waiting reports whose images have arrived, oldest first, and drops those that
     * waited too long. An outage stops the round; the rest is tried at the next one (a report
     * recorded just before an outage is recorded again: UNCHANGED).
     */
    @Scheduled(identity = RESOLVER, every = "${cxr.ingest.hl7.resolve-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resolve() {
        try {
            for (String source : accessions.expire(Instant.now())) {
                metrics.counter("cxr.ingest.reports", "source", source, "outcome", "REJECTED", "reason", RejectReason.UNKNOWN_STUDY.name())
                        .increment();
                LOG.infof("a report waited %s for images with its accession number and was dropped (UNKNOWN_STUDY)", config.reportWait());
            }
            for (Accessions.Pending p : accessions.resolvable(RESOLVE_BATCH)) {
                if (!resolve(p.id())) {
                    return;
                }
            }
        } catch (Unavailable | DatabaseUnavailable e) {
            LOG.debugf("waiting reports not resolved now: %s", e.getMessage());
        }
    }

    /**
     * One waiting report, in one transaction: claimed (its row locked; a replica that finds it locked
     * skips it), recorded (the revision joins this transaction) and removed. So of several replicas
     * resolving at once exactly one records and announces it, in arrival order, and a replica that dies
     * midway leaves it whole for the next round. False when a dependency is down (the report stays).
     */
    private boolean resolve(long id) {
        try {
            QuarkusTransaction.requiringNew().run(() -> accessions.claim(id).ifPresent(p -> {
                record(p);
                if (QuarkusTransaction.isRollbackOnly()) {
                    throw new Refused(); // the database refused a value of it (REJECTED INVALID_VALUE)
                }
                accessions.removePending(id);
            }));
        } catch (Refused e) {
            // nothing of it committed; it would be refused again: it goes
            QuarkusTransaction.requiringNew().run(() -> accessions.claim(id).ifPresent(p -> accessions.removePending(id)));
        } catch (Unavailable | DatabaseUnavailable | QuarkusTransactionException e) {
            LOG.warnf("waiting report kept, a dependency is down: %s", e.getMessage());
            return false;
        }
        return true;
    }

    /** Records (or drops, with its reason) a claimed report; an outage propagates and rolls the claim back. */
    private void record(Accessions.Pending p) {
        Source source = Source.valueOf(p.source());
        List<String> studies = accessions.studies(p.accessionKey());
        Optional<Accessions.StudyRow> study = studies.size() == 1 ? accessions.study(studies.get(0)) : Optional.empty();
        try {
            if (study.isEmpty()) {
                throw new IntakeRejected(RejectReason.ID_CLASH, "the accession number belongs to " + studies.size() + " studies");
            }
            checkPatient(study.get(), p.patientKeys().isEmpty() ? Set.of() : Set.of(p.patientKeys().split(",")));
            ReportResult r = intake.receiveReport(ids(study.get()), p.text().getBytes(StandardCharsets.UTF_8), "UTF-8", Set.of(), source);
            try (StudyLog ignored = StudyLog.of(study.get().studyId(), null)) {
                LOG.infof("waiting report recorded for study %s: %s", study.get().studyId(), r.status());
            }
        } catch (IntakeRejected e) {
            count(source, "REJECTED", e.reason().name());
            LOG.infof("waiting report dropped (%s): %s", e.reason(), e.getMessage());
        }
    }

    /** Rolls back the transaction of a report whose recording the database refused. */
    private static final class Refused extends RuntimeException {
        Refused() {
            super(null, null, false, false);
        }
    }

    private static ResearchIdentity ids(Accessions.StudyRow s) {
        return new ResearchIdentity(s.subjectId(), s.studyId(), null, s.dateOffsetDays());
    }

    /** The study's patient must be one of those the sender names, when both are known. */
    private static void checkPatient(Accessions.StudyRow study, Set<String> patientKeys) throws IntakeRejected {
        if (study.patientKey() != null && !patientKeys.isEmpty() && !patientKeys.contains(study.patientKey())) {
            throw new IntakeRejected(RejectReason.ID_CLASH, "study " + study.studyId() + " belongs to another patient than the sender names");
        }
    }

    /**
     * Digests of every way the sender's identifiers may have been paired with an issuer in the
     * DICOM (IssuerOfPatientID): the configured issuer, else each identifier's assigning authority, and none.
     */
    private Set<String> patientKeys(List<RisReport.PatientId> ids) {
        Set<String> keys = new LinkedHashSet<>();
        for (RisReport.PatientId id : ids) {
            if (config.issuerOfPatientId().isPresent()) {
                keys.add(pseudonyms.patient(config.issuerOfPatientId().get(), id.id()));
            } else {
                if (id.authority() != null) {
                    keys.add(pseudonyms.patient(id.authority(), id.id()));
                }
                keys.add(pseudonyms.patient(null, id.id()));
            }
        }
        return keys;
    }

    /** The identifier that stands for the patient in DICOM: the medical record number (type MR) when marked, else the first. */
    private static RisReport.PatientId preferred(List<RisReport.PatientId> ids) {
        return ids.stream().filter(i -> "MR".equalsIgnoreCase(i.typeCode())).findFirst()
                .orElse(ids.isEmpty() ? null : ids.get(0));
    }

    private String issuer(RisReport.PatientId id) {
        return config.issuerOfPatientId().orElse(id.authority());
    }

    private static RisOutcome outcome(ReportResult r) {
        return switch (r.status()) {
            case ACCEPTED -> new RisOutcome(RisOutcome.Status.ACCEPTED, null, null, r.revision(), r.studyId());
            case UNCHANGED -> new RisOutcome(RisOutcome.Status.UNCHANGED, null, null, r.revision(), r.studyId());
            default -> new RisOutcome(RisOutcome.Status.REJECTED, r.reason() == null ? null : r.reason().name(), r.message(), 0,
                    r.studyId());
        };
    }

    private void count(Source source, String outcome, String reason) {
        metrics.counter("cxr.ingest.reports", "source", source.name(), "outcome", outcome, "reason", reason).increment();
    }
}
