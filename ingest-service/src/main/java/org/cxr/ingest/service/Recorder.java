package org.cxr.ingest.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.ReportReceived;
import org.cxr.events.Source;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.Outcome;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.messaging.EventPublisher;
import org.cxr.ingest.repository.IngestRepository;
import org.cxr.platform.storage.BucketNames;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;

/**
 * The one transaction that makes an intake visible: record (uncommitted, holding the row's unique
 * lock so a concurrent upload of the same instance waits), store the object, announce it and wait
 * for the broker's ack, then commit. Any failure rolls the record back and surfaces as
 * {@link Unavailable}; the object key and the event id are deterministic, so a retry overwrites
 * the same object and re-announces the same fact.
 */
@ApplicationScoped
public class Recorder {
    @Inject
    Receipts receipts;
    @Inject
    IngestRepository repo;
    @Inject
    ObjectStore store;
    @Inject
    BucketNames buckets;
    @Inject
    EventPublisher publisher;

    /**
     * A de-identified instance ready to be stored: its bytes in memory, or ({@code bytes} null) in
     * {@code file}, streamed to the store.
     */
    public record StoredInstance(ResearchIdentity ids, byte[] bytes, java.nio.file.Path file, long size, String sha256,
                                 String sourceSha256, long sourceSize, String transferSyntaxUid, String sopClassUid,
                                 Source source) {
    }

    @Transactional
    public Outcome recordInstance(StoredInstance in) {
        ResearchIdentity ids = in.ids();
        String key = ObjectKeys.dicom(ids.subjectId(), ids.studyId(), ids.dicomId());
        Instant now = Instant.now();
        if (!repo.insertInstance(ids.dicomId(), ids.studyId(), in.sourceSha256(), in.sha256(), in.size(), key,
                in.transferSyntaxUid(), in.sopClassUid(), in.source().name(), now)) {
            return duplicateOrConflict(ids.dicomId(), in.sourceSha256(), in.sourceSize(), in.source());
        }
        receipts.recordInstance(ids.studyId(), ids.dicomId());
        if (in.bytes() != null) {
            put(buckets.raw(), key, in.bytes(), "application/dicom", in.sha256());
        } else {
            putFile(buckets.raw(), key, in.file(), in.sha256());
        }
        publisher.announce(new InstanceReceived(InstanceReceived.SCHEMA_VERSION, ids.subjectId(), ids.studyId(),
                ids.dicomId(), buckets.raw(), key, in.sha256(), in.size(), in.transferSyntaxUid(),
                in.sopClassUid(), in.source(), now));
        return Outcome.ACCEPTED;
    }

    /** An instance whose SOPInstanceUID is already recorded: same bytes → duplicate, else a recorded conflict. */
    @Transactional
    public Outcome duplicateOrConflict(String dicomId, String sourceSha256, long size, Source source) {
        var existing = repo.instance(dicomId).orElseThrow();
        if (existing.sourceSha256().equals(sourceSha256)) {
            return Outcome.DUPLICATE;
        }
        repo.insertConflict(dicomId, sourceSha256, size, source.name(), Instant.now());
        return Outcome.CONFLICT;
    }

    /**
     * A report revision: serialised per study (row lock), compared with the current revision,
     * stored under its revision key and as the study's report, announced, committed.
     */
    @Transactional
    public ReportResult recordReport(ResearchIdentity ids, String text, String sourceSha256, String sha256, Source source) {
        repo.lockStudy(ids.studyId());
        var latest = repo.latestReport(ids.studyId());
        if (latest.isPresent() && latest.get().sha256().equals(sha256)) {
            return new ReportResult(Outcome.UNCHANGED, null, null, latest.get().revision(), ids.subjectId(), ids.studyId());
        }
        int revision = latest.map(r -> r.revision() + 1).orElse(1);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String key = ObjectKeys.report(ids.subjectId(), ids.studyId());
        String revisionKey = "revisions/" + ObjectKeys.studyDir(ids.subjectId(), ids.studyId()) + "/r" + revision + ".txt";
        Instant now = Instant.now();
        repo.insertReportRevision(ids.studyId(), revision, sourceSha256, sha256, bytes.length, key, source.name(), now);
        receipts.recordReport(ids.studyId(), revision);
        put(buckets.reports(), revisionKey, bytes, "text/plain; charset=utf-8", sha256);
        put(buckets.reports(), key, bytes, "text/plain; charset=utf-8", sha256);
        publisher.announce(new ReportReceived(ReportReceived.SCHEMA_VERSION, ids.subjectId(), ids.studyId(),
                buckets.reports(), key, sha256, bytes.length, revision, source, now));
        return new ReportResult(Outcome.ACCEPTED, null, null, revision, ids.subjectId(), ids.studyId());
    }

    /** A large object streamed from its file in one PUT (the server verifies the digest). */
    private void putFile(String bucket, String key, java.nio.file.Path file, String sha256) {
        try {
            store.put(bucket, key, file, sha256, "application/dicom", Map.of("sha256", sha256));
        } catch (ObjectStoreException e) {
            throw new Unavailable("object store: " + e.getMessage(), e);
        }
    }

    private void put(String bucket, String key, byte[] bytes, String contentType, String sha256) {
        try {
            store.put(bucket, key, bytes, sha256, contentType, Map.of("sha256", sha256)); // the server verifies the digest
        } catch (ObjectStoreException e) {
            throw new Unavailable("object store: " + e.getMessage(), e);
        }
    }
}
