package org.cxr.ingest.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.deid.BurnedInRisk;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.deid.ReportScrubber;
import org.cxr.ingest.domain.deid.ReportText;
import org.cxr.ingest.domain.ids.MimicPath;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.Outcome;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.hl7.Accessions;
import org.cxr.platform.logging.StudyLog;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every way in (REST, STOW-RS, imports, drop folder) ends here: validate, dedupe, identify,
 * de-identify, then {@link Recorder} stores, announces and commits. Log lines carry research ids
 * only; rejection messages never quote identifying values.
 */
@ApplicationScoped
public class IntakeService {
    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    @Inject
    IngestConfig config;
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    IdentityService identities;
    @Inject
    DicomDeidentifier deidentifier;
    @Inject
    Recorder recorder;
    @Inject
    MeterRegistry metrics;
    @Inject
    Accessions accessions;

    /**
     * One DICOM instance.
     *
     * @param mimic ids from a MIMIC-tree path (kept; the file is stored as received), or null for
     *              input that gets research ids and de-identification
     * @throws Unavailable when the object store, broker or database is down (nothing recorded)
     */
    public InstanceResult receiveInstance(byte[] bytes, Source source, MimicPath mimic) {
        return receiveInstance(bytes, source, mimic, null);
    }

    /** @param expectedStudyUid the StudyInstanceUID the request names (STOW-RS to a study), or null */
    public InstanceResult receiveInstance(byte[] bytes, Source source, MimicPath mimic, String expectedStudyUid) {
        Timer.Sample t = Timer.start(metrics);
        InstanceResult r = instance(bytes, source, mimic, expectedStudyUid);
        t.stop(metrics.timer("cxr.ingest.instance.duration", "source", source.name(), "outcome", r.status().name()));
        metrics.counter("cxr.ingest.instances", "source", source.name(), "outcome", r.status().name(),
                "reason", r.reason() == null ? "" : r.reason().name()).increment();
        return r;
    }

    private InstanceResult instance(byte[] bytes, Source source, MimicPath mimic, String expectedStudyUid) {
        String sopClass = null;
        String sop = null;
        try {
            if (bytes.length > config.maxObjectBytes()) {
                throw new IntakeRejected(RejectReason.TOO_LARGE, "object of " + bytes.length + " bytes is over the limit of "
                        + config.maxObjectBytes() + " bytes");
            }
            String sourceSha = sha256(bytes);
            DicomFile file = parse(bytes);
            InstanceHeader h = InstanceHeader.of(file, mimic == null);
            sopClass = h.sopClassUid();
            sop = h.sopInstanceUid();
            if (expectedStudyUid != null && !expectedStudyUid.equals(h.studyInstanceUid())) {
                throw new IntakeRejected(RejectReason.ID_CLASH, "the instance belongs to another study than the request names");
            }
            if (mimic == null) { // a MIMIC tree was declared de-identified (pixels included) by the operator
                checkBurnedIn(file, h, source);
            }
            String instanceKey = pseudonyms.instance(sop);

            IdentityService.Known known = identities.identify(h, instanceKey, mimic);
            if (known.stored()) {
                // already stored: a re-send or a changed copy; nothing is assigned or de-identified again
                ResearchIdentity k = known.ids();
                Outcome o = recorder.duplicateOrConflict(k.dicomId(), sourceSha, bytes.length, source);
                return result(o, k, sopClass, sop);
            }

            ResearchIdentity ids = known.ids();
            if (mimic == null) { // a keyed digest of the AccessionNumber, to match RIS reports (hl7)
                accessions.remember(ids.studyId(), file.dataset().getString(Tag.AccessionNumber));
            }
            try (StudyLog ignored = StudyLog.of(ids.studyId(), ids.dicomId())) {
                byte[] stored = mimic == null ? deidentify(file, h, ids) : bytes;
                String storedSha = mimic == null ? sha256(stored) : sourceSha;
                Outcome o = recorder.recordInstance(new Recorder.StoredInstance(ids, stored, storedSha, sourceSha,
                        bytes.length, h.transferSyntaxUid(), sopClass, source));
                if (o == Outcome.ACCEPTED) {
                    LOG.debugf("instance %s stored and announced (%s)", ids.dicomId(), source);
                    return new InstanceResult(o, null, null, ids.subjectId(), ids.studyId(), ids.dicomId(), sopClass, sop);
                }
                return result(o, ids, sopClass, sop); // a concurrent upload of the same instance won
            }
        } catch (IntakeRejected e) {
            LOG.infof("instance rejected (%s): %s", e.reason(), e.getMessage());
            return InstanceResult.rejected(e, sopClass, sop);
        }
    }

    private void checkBurnedIn(DicomFile file, InstanceHeader h, Source source) throws IntakeRejected {
        var risk = BurnedInRisk.of(file.dataset(), h.sopClassUid());
        if (risk.isPresent() && !config.burnedInAllowedSources().orElse(Set.of()).contains(source.name())) {
            throw new IntakeRejected(RejectReason.BURNED_IN_RISK, risk.get() + ": the pixels may show identifying text;"
                    + " allow this source in cxr.ingest.burned-in-allowed-sources once its images are known to be clean");
        }
    }

    private InstanceResult result(Outcome o, ResearchIdentity k, String sopClass, String sop) {
        if (o == Outcome.CONFLICT) {
            try (StudyLog ignored = StudyLog.of(k.studyId(), k.dicomId())) {
                LOG.warnf("instance %s received again with different bytes: recorded as a conflict, original kept", k.dicomId());
            }
        }
        return new InstanceResult(o, null, o == Outcome.CONFLICT ? "SOPInstanceUID already stored with different content" : null,
                k.subjectId(), k.studyId(), k.dicomId(), sopClass, sop);
    }

    private byte[] deidentify(DicomFile file, InstanceHeader h, ResearchIdentity ids) throws IntakeRejected {
        Set<String> tokens = h.patientNameTokens();
        var ctx = new DicomDeidentifier.Context(ids.subjectId(), ids.studyId(), ids.dateOffsetDays(), pseudonyms::uid,
                w -> tokens.stream().anyMatch(w::equalsIgnoreCase));
        try {
            return deidentifier.deidentify(file, ctx);
        } catch (RuntimeException e) {
            throw new IntakeRejected(RejectReason.MALFORMED_DICOM, "cannot write the de-identified copy: "
                    + e.getClass().getSimpleName());
        }
    }

    private static DicomFile parse(byte[] bytes) throws IntakeRejected {
        try {
            DicomFile file = DicomReader.read(bytes);
            if (file.pixelData() != null && !file.pixelData().isComplete()) {
                // the reader is lenient, but a cut-off upload must be re-sent, not stored
                throw new IntakeRejected(RejectReason.MALFORMED_DICOM, "the pixel data is truncated");
            }
            return file;
        } catch (DicomException e) {
            RejectReason r = e.reason() == DicomException.Reason.NOT_DICOM ? RejectReason.NOT_DICOM
                    : e.reason() == DicomException.Reason.TOO_LARGE ? RejectReason.TOO_LARGE : RejectReason.MALFORMED_DICOM;
            throw new IntakeRejected(r, e.reason() + ": the file cannot be read as DICOM");
        } catch (RuntimeException e) {
            throw new IntakeRejected(RejectReason.MALFORMED_DICOM, "the file cannot be read as DICOM ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * A report for a study named by its StudyInstanceUID (REST, folder, drop folder).
     *
     * @param charset declared charset, null for UTF-8
     */
    public ReportResult receiveReport(String studyInstanceUid, byte[] body, String charset, String patientId,
                                      String issuer, Source source) {
        try {
            String text = ReportText.decode(body, charset, config.maxReportBytes());
            if (studyInstanceUid == null || studyInstanceUid.isBlank()) {
                throw new IntakeRejected(RejectReason.MISSING_UID, "no StudyInstanceUID");
            }
            ResearchIdentity ids = identities.studyForReport(studyInstanceUid.trim(), patientId, issuer);
            Set<String> nameKeys = identities.nameTokenKeys(ids.subjectId());
            String scrubbed = ReportScrubber.scrub(text, w -> nameKeys.contains(pseudonyms.nameToken(w)));
            return report(ids, text, scrubbed, source);
        } catch (IntakeRejected e) {
            return rejectedReport(e, source);
        }
    }

    /**
     * A report for a study already resolved to its research ids (matched by accession number: HL7,
     * REST by accession), scrubbed with the subject's name tokens and {@code senderNameTokens} (the
     * patient name the sender gave, never stored).
     */
    public ReportResult receiveReport(ResearchIdentity ids, byte[] body, String charset, Set<String> senderNameTokens,
                                      Source source) {
        try {
            String text = ReportText.decode(body, charset, config.maxReportBytes());
            Set<String> nameKeys = identities.nameTokenKeys(ids.subjectId());
            String scrubbed = ReportScrubber.scrub(text, w -> nameKeys.contains(pseudonyms.nameToken(w))
                    || senderNameTokens.stream().anyMatch(w::equalsIgnoreCase));
            return report(ids, text, scrubbed, source);
        } catch (IntakeRejected e) {
            return rejectedReport(e, source);
        }
    }

    /** A report of a MIMIC tree ({@code files/pXX/pSUBJECT/sSTUDY.txt}): ids kept, text stored as received (already de-identified). */
    public ReportResult receiveMimicReport(MimicPath p, byte[] body, Source source) {
        try {
            String text = ReportText.decode(body, null, config.maxReportBytes());
            ResearchIdentity ids = identities.mimicStudy(p);
            return report(ids, text, text, source);
        } catch (IntakeRejected e) {
            return rejectedReport(e, source);
        }
    }

    private ReportResult report(ResearchIdentity ids, String received, String stored, Source source) {
        try (StudyLog ignored = StudyLog.of(ids.studyId(), null)) {
            ReportResult r = recorder.recordReport(ids, stored, sha256(received.getBytes(StandardCharsets.UTF_8)),
                    sha256(stored.getBytes(StandardCharsets.UTF_8)), source);
            metrics.counter("cxr.ingest.reports", "source", source.name(), "outcome", r.status().name(), "reason", "").increment();
            if (r.status() == Outcome.ACCEPTED) {
                LOG.debugf("report revision %d of study %s stored and announced", r.revision(), ids.studyId());
            }
            return r;
        }
    }

    private ReportResult rejectedReport(IntakeRejected e, Source source) {
        metrics.counter("cxr.ingest.reports", "source", source.name(), "outcome", Outcome.REJECTED.name(),
                "reason", e.reason().name()).increment();
        LOG.infof("report rejected (%s): %s", e.reason(), e.getMessage());
        return ReportResult.rejected(e);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
