package org.cxr.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.release.DeterministicGzip;
import org.cxr.catalog.domain.release.ReleaseResult;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.service.ReleaseService;
import org.cxr.catalog.service.SplitService;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.EventJson;
import org.cxr.events.StudyIndexed;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The golden check of the catalog's behaviour: a fixed list of events (failures, revisions,
 * section NONE, late images), indexed in fixed batches, plus an operator pin, gives releases (a
 * full one and an incremental one) whose every file hashes to what {@code release-golden.txt}
 * recorded, the same catalog rows and the same StudyIndexed announcements. A refactoring must
 * leave this file untouched; a deliberate change of the output regenerates it with
 * {@code -Dcxr.golden.update=true} (and says so in its commit).
 *
 * <p>gzip bytes come from the JVM's zlib: when this JVM compresses a fixed canary differently,
 * the compressed files (and SHA256SUMS.txt, which lists them) are compared by content only.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ReleaseGoldenTest {
    static final String GOLDEN = "release-golden.txt";
    static final int STUDY_BASE = 4000;
    static final int LATER_BASE = 4600;

    @Inject
    CatalogIndexer indexer;
    @Inject
    ReleaseService releases;
    @Inject
    SplitService splits;
    @Inject
    AgroalDataSource ds;

    @Test
    void aFixedEventListGivesTheRecordedReleaseBytes(@TempDir Path tmp) throws Exception {
        CatalogDb.reset(ds);
        long outboxBefore = outboxIdsDrawn();
        SmallDataset first = new SmallDataset(60, 2, STUDY_BASE, STUDY_BASE);
        indexInBatches(first.events, 25);
        String pinned = TestEvents.subject(STUDY_BASE);
        splits.pin(Integer.parseInt(pinned), Split.TEST, "golden", "golden check");
        ReleaseResult full = releases.write(ReleaseSelection.full(), new FolderReleaseSink(tmp.resolve("1")), false, 1,
                null);

        SmallDataset later = new SmallDataset(12, 5, LATER_BASE, LATER_BASE);
        List<RawEvent> more = new ArrayList<>(later.events);
        String[] released = first.convertedImages.get(first.convertedImages.size() - 1);
        String late = TestEvents.dicom("golden-late");
        more.add(TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(released[0], released[1], late, T0)));
        more.add(TestEvents.raw(Topics.INSTANCE_CONVERTED, TestEvents.converted(released[0], released[1], late,
                TestEvents.metadata("AP", "21800507", "101010.25"), T0.plusSeconds(1), "convert-1.0.2")));
        indexInBatches(more, 7);
        releases.write(ReleaseSelection.since(full.highWaterMark()), new FolderReleaseSink(tmp.resolve("2")), false, 2, 1);

        List<String> actual = new ArrayList<>();
        actual.add("zlib-canary " + hex(gzip(canary())));
        actual.addAll(fileHashes(tmp));
        // columns added after the golden was recorded (V4) count only when they hold something
        actual.add("catalog-rows " + TestEvents.sha256(String.join("\n", CatalogDb.content(ds))
                .replaceAll("pinned_at=[^|]*\\|", "").replaceAll("(mentions|attempts|history)=null\\|", "")));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM dead_letter WHERE topic = 'cxr.catalog.dlq'"))
                .as("every outbox row of this data set is a StudyIndexed").isZero();
        actual.add("study-indexed " + announcements(pinned, outboxIdsDrawn() - outboxBefore));

        Path golden = Path.of("src/test/resources", GOLDEN);
        if (Boolean.getBoolean("cxr.golden.update")) {
            Files.write(golden, actual);
            System.out.println("[golden] rewrote " + golden);
        }
        List<String> expected = Files.readAllLines(golden);
        if (!expected.get(0).equals(actual.get(0))) {
            System.out.println("[golden] this JVM's zlib compresses differently: gzip files compared by content only");
            expected = withoutZlibBytes(expected);
            actual = withoutZlibBytes(actual);
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private void indexInBatches(List<RawEvent> events, int size) {
        for (int i = 0; i < events.size(); i += size) {
            indexer.index(events.subList(i, Math.min(events.size(), i + size)));
        }
    }

    /** {@code <release>/<file> sha256} of every file; for a .gz also the sha256 of its content. */
    private static List<String> fileHashes(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = root.relativize(f).toString();
                byte[] bytes = Files.readAllBytes(f);
                out.add(name + " " + hex(bytes));
                if (name.endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                        out.add(name + ":content " + hex(in.readAllBytes()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every StudyIndexed published about the studies of this test (key, ce_id, payload without
     * indexedAt), hashed; and the re-announcement of the pinned subject's studies carries the
     * split in its ce_id.
     */
    private String announcements(String pinnedSubject, long expected) {
        Set<String> studies = new TreeSet<>();
        for (int s = 0; s < 60; s++) {
            studies.add(TestEvents.study(STUDY_BASE + s * 7));
        }
        for (int s = 0; s < 12; s++) {
            studies.add(TestEvents.study(LATER_BASE + s * 7));
        }
        List<KafkaTestClient.Received> records = KafkaTestClient.readUntil(Topics.STUDY_INDEXED,
                l -> l.stream().filter(r -> studies.contains(r.key())).count() >= expected, Duration.ofSeconds(60));
        List<String> lines = new ArrayList<>();
        boolean pinSeen = false;
        for (KafkaTestClient.Received r : records) {
            if (!studies.contains(r.key())) {
                continue;
            }
            String ceId = KafkaTestClient.header(r, "ce_id");
            StudyIndexed e = EventJson.read(r.value(), StudyIndexed.class);
            if (e.subjectId().equals(pinnedSubject) && "test".equals(e.split())) {
                assertThat(ceId).isEqualTo(e.eventId() + ":test");
                pinSeen = true;
            }
            lines.add(r.key() + " " + ceId + " " + r.value().replaceAll("\"indexedAt\":\"[^\"]*\"", ""));
        }
        assertThat(pinSeen).as("the pin re-announced the subject's studies").isTrue();
        assertThat(lines).hasSize((int) expected);
        lines.sort(null);
        return lines.size() + " " + TestEvents.sha256(String.join("\n", lines));
    }

    /** Outbox ids drawn so far (the identity survives the reset's TRUNCATE). */
    private long outboxIdsDrawn() throws Exception {
        return CatalogDb.count(ds, "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END"
                + " FROM outbox_outbox_id_seq");
    }

    private static List<String> withoutZlibBytes(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("zlib-canary") && !l.contains("SHA256SUMS.txt ")
                && !l.matches("\\S+\\.gz .*")).toList();
    }

    private static byte[] canary() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append(i).append(",p1").append(i % 7).append(",1.0,,-1.0\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeterministicGzip gz = new DeterministicGzip(out)) {
            gz.write(data, 0, data.length);
        }
        return out.toByteArray();
    }

    private static String hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
