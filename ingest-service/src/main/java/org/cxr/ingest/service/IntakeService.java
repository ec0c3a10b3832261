package org.cxr.ingest.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.ReadLimits;
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
import org.cxr.ingest.repository.IngestRepository.DataRejected;
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
        return timed(new Received(bytes, null, bytes.length), source, mimic, expectedStudyUid);
    }

    /**
     * One DICOM instance in a file (a spooled upload, a received C-STORE data set, a large import
     * file): parsed from the file (only the header is read into memory), de-identified into a
     * temporary file with the pixel data streamed, and streamed to the object store, so memory does
     * not grow with the instance's size. The caller keeps and deletes {@code file}.
     */
    public InstanceResult receiveInstance(Path file, Source source, MimicPath mimic, String expectedStudyUid) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return timed(new Received(null, file, size), source, mimic, expectedStudyUid);
    }

    /** The instance's bytes: in memory, or ({@code bytes} null) in a file. */
    private record Received(byte[] bytes, Path file, long size) {
    }

    private InstanceResult timed(Received in, Source source, MimicPath mimic, String expectedStudyUid) {
        Timer.Sample t = Timer.start(metrics);
        InstanceResult r = instance(in, source, mimic, expectedStudyUid);
        t.stop(metrics.timer("cxr.ingest.instance.duration", "source", source.name(), "outcome", r.status().name()));
        metrics.counter("cxr.ingest.instances", "source", source.name(), "outcome", r.status().name(),
                "reason", r.reason() == null ? "" : r.reason().name()).increment();
        return r;
    }

    private InstanceResult instance(Received in, Source source, MimicPath mimic, String expectedStudyUid) {
        String sopClass = null;
        String sop = null;
        Path copy = null;
        try {
            if (in.size() > config.maxObjectBytes()) {
                throw new IntakeRejected(RejectReason.TOO_LARGE, "object of " + in.size() + " bytes is over the limit of "
                        + config.maxObjectBytes() + " bytes");
            }
            String sourceSha = in.bytes() != null ? sha256(in.bytes()) : sha256(in.file());
            DicomFile file = parse(in);
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
                Outcome o = recorder.duplicateOrConflict(k.dicomId(), sourceSha, in.size(), source);
                return result(o, k, sopClass, sop);
            }

            ResearchIdentity ids = known.ids();
            if (mimic == null) { // a keyed digest of the AccessionNumber, to match RIS reports (hl7)
                accessions.remember(ids.studyId(), file.dataset().getString(Tag.AccessionNumber));
            }
            try (StudyLog ignored = StudyLog.of(ids.studyId(), ids.dicomId())) {
                Recorder.StoredInstance stored;
                if (mimic != null) { // stored as received
                    stored = new Recorder.StoredInstance(ids, in.bytes(), in.file(), in.size(), sourceSha, sourceSha,
                            in.size(), h.transferSyntaxUid(), sopClass, source);
                } else if (in.bytes() != null) {
                    byte[] b = deidentify(file, h, ids);
                    stored = new Recorder.StoredInstance(ids, b, null, b.length, sha256(b), sourceSha, in.size(),
                            h.transferSyntaxUid(), sopClass, source);
                } else {
                    copy = Files.createTempFile(in.file().toAbsolutePath().getParent(), ".deid-", ".dcm");
                    String sha = deidentify(file, h, ids, copy);
                    stored = new Recorder.StoredInstance(ids, null, copy, Files.size(copy), sha, sourceSha, in.size(),
                            h.transferSyntaxUid(), sopClass, source);
                }
                Outcome o = recorder.recordInstance(stored);
                if (o == Outcome.ACCEPTED) {
                    LOG.debugf("instance %s stored and announced (%s)", ids.dicomId(), source);
                    return new InstanceResult(o, null, null, ids.subjectId(), ids.studyId(), ids.dicomId(), sopClass, sop);
                }
                return result(o, ids, sopClass, sop); // a concurrent upload of the same instance won
            }
        } catch (DataRejected e) {
            IntakeRejected r = invalidValue(e);
            LOG.infof("instance rejected (%s): %s", r.reason(), r.getMessage());
            return InstanceResult.rejected(r, sopClass, sop);
        } catch (IntakeRejected e) {
            LOG.infof("instance rejected (%s): %s", e.reason(), e.getMessage());
            return InstanceResult.rejected(e, sopClass, sop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    LOG.warnf("cannot delete a temporary de-identified copy: %s", e.getMessage());
                }
            }
        }
    }

    private static IntakeRejected invalidValue(DataRejected e) {
        return new IntakeRejected(RejectReason.INVALID_VALUE, e.getMessage());
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

    private DicomDeidentifier.Context context(InstanceHeader h, ResearchIdentity ids) {
        Set<String> tokens = h.patientNameTokens();
        return new DicomDeidentifier.Context(ids.subjectId(), ids.studyId(), ids.dateOffsetDays(), pseudonyms::uid,
                w -> tokens.stream().anyMatch(w::equalsIgnoreCase));
    }

    /** Bounds on parsing untrusted DICOM: header size and inflated size (deflate bombs) well below the heap. */
    private ReadLimits readLimits() {
        ReadLimits d = ReadLimits.DEFAULT;
        return new ReadLimits(d.maxDepth(), d.maxItems(), d.maxElements(), Math.min(d.maxElementLength(), config.maxHeaderBytes()),
                d.maxFragments(), config.maxHeaderBytes(), config.maxInflatedBytes());
    }

    private byte[] deidentify(DicomFile file, InstanceHeader h, ResearchIdentity ids) throws IntakeRejected {
        var ctx = context(h, ids);
        try {
            return deidentifier.deidentify(file, ctx);
        } catch (RuntimeException e) {
            throw new IntakeRejected(RejectReason.MALFORMED_DICOM, "cannot write the de-identified copy: "
                    + e.getClass().getSimpleName());
        }
    }

    /** Streams the de-identified copy into {@code copy} (pixel data read in chunks); its SHA-256. */
    private String deidentify(DicomFile file, InstanceHeader h, ResearchIdentity ids, Path copy) throws IntakeRejected, IOException {
        MessageDigest sha = sha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(copy), 1 << 16), sha)) {
            deidentifier.deidentify(file, context(h, ids), out);
        } catch (RuntimeException e) {
            throw new IntakeRejected(RejectReason.MALFORMED_DICOM, "cannot write the de-identified copy: "
                    + e.getClass().getSimpleName());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private DicomFile parse(Received in) throws IntakeRejected {
        ReadLimits limits = readLimits();
        try {
            DicomFile file = in.bytes() != null ? DicomReader.read(in.bytes(), limits) : DicomReader.read(in.file(), limits);
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
        } catch (DataRejected e) {
            return rejectedReport(invalidValue(e), source);
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
        } catch (DataRejected e) {
            return rejectedReport(invalidValue(e), source);
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
        } catch (DataRejected e) {
            return rejectedReport(invalidValue(e), source);
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
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
