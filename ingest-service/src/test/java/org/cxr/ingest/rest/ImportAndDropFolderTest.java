package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.ingest.cli.ImportCommand;
import org.cxr.ingest.repository.IngestRepository;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.MimicTrees;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import picocli.CommandLine;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class ImportAndDropFolderTest {
    static final long RUN = TestDicoms.runBase();

    @TempDir
    Path tmp;
    @TestHTTPResource("/")
    URL base;

    @Inject
    IngestRepository repo;

    /** A progress save that took its view before the import finished must not undo the final state. */
    @Test
    void aFinishedImportIsNeverShownRunningAgain() {
        UUID id = UUID.randomUUID();
        Instant t = Instant.now();
        repo.upsertImport(new IngestRepository.ImportRow(id, "/in", "mimic", "RUNNING", "{}", t, t, null));
        repo.upsertImport(new IngestRepository.ImportRow(id, "/in", "mimic", "DONE", "{\"n\":2}", t, t, t));
        repo.upsertImport(new IngestRepository.ImportRow(id, "/in", "mimic", "RUNNING", "{\"n\":1}", t, t, null));
        IngestRepository.ImportRow row = repo.importJob(id).orElseThrow();
        assertThat(row.state()).isEqualTo("DONE");
        assertThat(row.counters()).isEqualTo("{\"n\":2}");
        assertThat(row.finishedAt()).isNotNull();
    }

    static JsonPath runImport(Path path, String layout) throws InterruptedException {
        String id = given().contentType("application/json").body(Map.of("path", path.toString(), "layout", layout))
                .post("/imports").then().statusCode(202).extract().path("importId");
        for (int i = 0; i < 600; i++) {
            JsonPath p = given().get("/imports/" + id).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(p.getString("state"))) {
                return p;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("import did not finish");
    }

    @Test
    void mimicTreeKeepsItsIdsAndReRunAnnouncesNothing() throws Exception {
        Path root = tmp.resolve("mimic");
        List<MimicTrees.Study> studies = MimicTrees.write(root, 2, 2, 2, RUN + 10_000);
        Path badDir = Files.createDirectories(root.resolve("files/p10/p1000/s5000"));
        Files.write(badDir.resolve("x.dcm"), TestDicoms.mimic("10000001", RUN + 11_000, 1));
        MimicTrees.Study first = studies.get(0);
        Files.writeString(root.resolve(ObjectKeys.studyDir(first.subjectId(), first.studyId()))
                .resolve("aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee.dcm"), "not dicom");
        Files.writeString(root.resolve("index.html"), "<html/>");

        JsonPath p = runImport(root, "mimic");
        assertThat(p.getString("state")).isEqualTo("DONE");
        assertThat(p.getLong("filesTotal")).isEqualTo(15);
        assertThat(p.getLong("instances.accepted")).isEqualTo(8);
        assertThat(p.getLong("reports.accepted")).isEqualTo(4);
        assertThat(p.getLong("rejected")).isEqualTo(2);
        assertThat(p.getLong("skipped")).isEqualTo(1);
        assertThat(p.getMap("rejectedByReason")).containsEntry("BAD_ID", 1).containsEntry("NOT_DICOM", 1);

        for (MimicTrees.Study s : studies) {
            assertThat(EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, s.studyId()), 2)).hasSize(2);
            assertThat(EventTap.get().matching(EventTap.study(Topics.REPORT_RECEIVED, s.studyId()))).hasSize(1);
            for (String d : s.dicomIds()) {
                Path src = root.resolve(ObjectKeys.dicom(s.subjectId(), s.studyId(), d));
                assertThat(Infra.store().get("cxr-dicom", ObjectKeys.dicom(s.subjectId(), s.studyId(), d)))
                        .isEqualTo(Files.readAllBytes(src)); // MIMIC input is stored as received
            }
        }
        int before = EventTap.get().all().size();
        JsonPath again = runImport(root, "mimic");
        assertThat(again.getLong("instances.duplicates")).isEqualTo(8);
        assertThat(again.getLong("reports.unchanged")).isEqualTo(4);
        assertThat(again.getLong("accepted")).isZero();
        Thread.sleep(1500);
        assertThat(EventTap.get().all()).hasSize(before);
        given().get("/imports").then().statusCode(200).body("importId", org.hamcrest.Matchers.hasItem(again.getString("importId")));
        importProgressWasAnnounced(again, root);
    }

    /**
     * The import's progress on the real broker (cxr.import-progress, key = import id): a first
     * RUNNING state, then DONE with the counts GET /imports/{id} shows; sequence numbers grow;
     * counts and reasons only, never the folder's path.
     */
    private static void importProgressWasAnnounced(JsonPath run, Path root) throws Exception {
        String id = run.getString("importId");
        List<EventTap.Event> events = EventTap.get().await(e -> e.topic().equals(org.cxr.events.Topics.IMPORT_PROGRESS)
                && id.equals(e.key()) && e.value().contains("\"DONE\""), 1);
        events = EventTap.get().importProgress(id);
        assertThat(events.size()).isGreaterThanOrEqualTo(2);
        List<org.cxr.events.ImportProgress> states = new java.util.ArrayList<>();
        for (EventTap.Event e : events) {
            assertThat(e.value()).doesNotContain(root.toString());
            states.add(org.cxr.events.EventJson.read(e.value(), org.cxr.events.ImportProgress.class));
        }
        states.sort(java.util.Comparator.comparingLong(org.cxr.events.ImportProgress::sequence));
        assertThat(states).extracting(org.cxr.events.ImportProgress::sequence).doesNotHaveDuplicates();
        assertThat(states.get(0).state()).isEqualTo("RUNNING");
        assertThat(states.get(0).sequence()).isEqualTo(1);
        org.cxr.events.ImportProgress last = states.get(states.size() - 1); // a consumer keeps the highest
        assertThat(last.state()).isEqualTo("DONE");
        assertThat(last.importId()).isEqualTo(id);
        assertThat(last.layout()).isEqualTo("mimic");
        assertThat(last.duplicates()).isEqualTo(12);
        assertThat(last.accepted()).isZero();
        assertThat(last.filesSeen()).isEqualTo(run.getLong("filesSeen"));
        assertThat(last.finishedAt()).isNotNull();
    }

    @Test
    void folderImportAssignsIdsAndRefusesEscapes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("folder/sub"));
        TestDicoms.Spec a = TestDicoms.spec("MRN-F-" + RUN, RUN + 20_000, 1);
        Files.write(root.resolve("IM0001"), TestDicoms.bytes(a));
        Files.write(root.resolve("IM0002"), TestDicoms.bytes(TestDicoms.spec("MRN-F-" + RUN, RUN + 20_000, 2)));
        Files.writeString(root.resolve(a.studyUid() + ".txt"), "IMPRESSION: Clear lungs.");
        Path outside = Files.write(tmp.resolve("outside.dcm"), TestDicoms.bytes(TestDicoms.spec("MRN-X-" + RUN, RUN + 20_001, 1)));
        Files.createSymbolicLink(root.resolve("link.dcm"), outside);
        Files.write(root.resolve("SCREEN1"), TestDicoms.screenCapture(TestDicoms.spec("MRN-F-" + RUN, RUN + 20_000, 3)));

        JsonPath p = runImport(tmp.resolve("folder"), "folder");
        assertThat(p.getLong("instances.accepted")).isEqualTo(2);
        assertThat(p.getLong("reports.accepted")).isEqualTo(1);
        assertThat(p.getMap("rejectedByReason")).containsEntry("PATH_OUTSIDE_ROOT", 1).containsEntry("BURNED_IN_RISK", 1);

        given().contentType("application/json").body(Map.of("path", "relative/path", "layout", "folder")).post("/imports")
                .then().statusCode(400);
        given().contentType("application/json").body(Map.of("path", tmp + "/folder/../folder", "layout", "folder"))
                .post("/imports").then().statusCode(400);
        given().contentType("application/json").body(Map.of("path", tmp.toString(), "layout", "weird")).post("/imports")
                .then().statusCode(400);
        given().get("/imports/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void cliImportsShowsProgressAndExitsByOutcome() throws Exception {
        Path clean = tmp.resolve("clean");
        MimicTrees.write(clean, 1, 1, 2, RUN + 30_000);
        String url = base.toString();
        var printed = new java.io.ByteArrayOutputStream();
        ImportCommand mimic = new ImportCommand(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8),
                TestTokens.token("operator"));
        assertThat(new CommandLine(mimic).execute(clean.toString(), "--layout", "mimic", "--ingest-url", url)).isZero();
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("--layout mimic: you state that")
                .contains("already de-identified");
        // without --layout mimic a tree holding files/ is a plain folder: de-identified, never stored as received
        assertThat(runImport(clean, "auto").getString("layout")).isEqualTo("folder");
        Files.writeString(clean.resolve("files/bad.dcm"), "x"); // not in the MIMIC layout: BAD_ID
        assertThat(new CommandLine(new ImportCommand(System.out, TestTokens.token("operator")))
                .execute(clean.toString(), "--layout", "mimic", "--ingest-url", url)).isEqualTo(1);
        assertThat(new CommandLine(new ImportCommand(System.out, TestTokens.token("operator")))
                .execute(tmp.resolve("missing").toString(), "--ingest-url", url)).isEqualTo(2);
        // without a token (or with an uploader's) the service refuses to start an import: exit 2, nothing imported
        assertThat(new CommandLine(new ImportCommand(System.out, null)).execute(clean.toString(), "--ingest-url", url))
                .isEqualTo(2);
        assertThat(new CommandLine(new ImportCommand(System.out, TestTokens.token("uploader")))
                .execute(clean.toString(), "--ingest-url", url)).isEqualTo(2);
    }

    @Test
    void dropFolderTakesCompleteFilesAndQuarantinesBadOnes() throws Exception {
        Path drop = Path.of("target/drop-folder").toAbsolutePath();
        Files.createDirectories(drop);
        try (var old = Files.walk(drop)) { // leftovers of an earlier run would pass the checks below
            old.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(drop)).forEach(p -> p.toFile().delete());
        }
        TestDicoms.Spec a = TestDicoms.spec("MRN-DF-" + RUN, RUN + 40_000, 1);
        String reportName = a.studyUid() + ".txt";
        // the report comes first: it waits for its study (staged, neither processed nor quarantined)
        Files.writeString(drop.resolve(reportName), "IMPRESSION: Normal.");
        awaitExists(drop.resolve(".staging/" + reportName));
        Thread.sleep(1500);
        assertThat(drop.resolve(".staging/" + reportName)).exists();
        // an atomic rename, and a slow writer
        Path part = drop.resolve("a.dcm.part");
        Files.write(part, TestDicoms.bytes(a));
        Files.move(part, drop.resolve("a.dcm"), StandardCopyOption.ATOMIC_MOVE);
        byte[] b = TestDicoms.bytes(TestDicoms.spec("MRN-DF-" + RUN, RUN + 40_000, 2));
        Path slow = drop.resolve("nested/b.dcm");
        Files.createDirectories(slow.getParent());
        Files.write(slow, java.util.Arrays.copyOf(b, b.length / 2));
        Thread.sleep(600);
        Files.write(slow, b);
        Files.writeString(drop.resolve("junk.bin"), "not a dicom");
        Files.write(drop.resolve("screen.dcm"), TestDicoms.screenCapture(TestDicoms.spec("MRN-DF-" + RUN, RUN + 40_000, 3)));
        // a value the database refuses is a permanent error: quarantined at once, not retried
        var longClass = TestDicoms.dataset(TestDicoms.spec("MRN-DF-" + RUN, RUN + 40_000, 4));
        longClass.putString(org.cxr.dicom.Tag.SOPClassUID, org.cxr.dicom.VR.UI, LONG_UID);
        Files.write(drop.resolve("long.dcm"), org.cxr.dicom.DicomWriter.toBytes(longClass, "1.2.840.10008.1.2.1"));
        // a FIFO would block a reader forever; a symbolic link would make the service read outside the folder
        Path outside = Files.write(tmp.resolve("outside.dcm"), TestDicoms.bytes(TestDicoms.spec("MRN-DF-" + RUN, RUN + 40_001, 1)));
        Files.createSymbolicLink(drop.resolve("link.dcm"), outside);
        boolean fifo = new ProcessBuilder("mkfifo", drop.resolve("pipe.dcm").toString()).start().waitFor() == 0;

        awaitGone(drop.resolve("a.dcm"));
        awaitGone(drop.resolve("nested/b.dcm"));
        awaitExists(drop.resolve("quarantine/junk.bin.reason.txt"));
        assertThat(Files.readString(drop.resolve("quarantine/junk.bin.reason.txt"))).startsWith("NOT_DICOM");
        assertThat(drop.resolve("junk.bin")).doesNotExist();
        awaitExists(drop.resolve("quarantine/screen.dcm.reason.txt"));
        assertThat(Files.readString(drop.resolve("quarantine/screen.dcm.reason.txt"))).startsWith("BURNED_IN_RISK");
        awaitExists(drop.resolve("quarantine/long.dcm.reason.txt"));
        assertThat(Files.readString(drop.resolve("quarantine/long.dcm.reason.txt"))).startsWith("INVALID_VALUE");
        awaitExists(drop.resolve("quarantine/link.dcm.reason.txt"));
        assertThat(Files.readString(drop.resolve("quarantine/link.dcm.reason.txt"))).contains("symbolic link");
        assertThat(outside).exists();
        if (fifo) {
            awaitExists(drop.resolve("quarantine/pipe.dcm.reason.txt"));
            assertThat(Files.readString(drop.resolve("quarantine/pipe.dcm.reason.txt"))).contains("not a regular file");
        }
        // the waiting report is retried (every tenth of its wait) and taken once the study exists
        awaitGone(drop.resolve(".staging/" + reportName));
        assertThat(drop.resolve("quarantine/" + reportName)).doesNotExist();
        // processed originals are identified: deleted at once by default (no retention configured)
        assertThat(drop.resolve("processed/a.dcm")).doesNotExist();
        assertThat(drop.resolve("processed/" + reportName)).doesNotExist();
        String studyId = given().contentType("application/dicom").body(TestDicoms.bytes(a)).post("/studies/instances").then()
                .body("results[0].status", equalTo("DUPLICATE")).extract().path("results[0].studyId");
        assertThat(EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, studyId), 2)).hasSize(2);
        assertThat(EventTap.get().matching(EventTap.study(Topics.REPORT_RECEIVED, studyId))).hasSize(1);
        // the outside file behind the link was never ingested
        given().contentType("application/dicom").body(Files.readAllBytes(outside)).post("/studies/instances").then()
                .body("results[0].status", equalTo("ACCEPTED"));
    }

    /** A SOPClassUID longer than the 64 characters a UI may have (and the database column holds). */
    static final String LONG_UID = "1.2.840.10008.5.1.4.1.1.1.1." + "1234567890".repeat(5);

    static void awaitGone(Path p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(p).doesNotExist();
    }

    static void awaitExists(Path p) throws InterruptedException {
        awaitExists(p, 15_000);
    }

    static void awaitExists(Path p, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!Files.exists(p) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(p).exists();
    }
}
