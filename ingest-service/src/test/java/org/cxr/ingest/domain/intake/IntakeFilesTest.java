package org.cxr.ingest.domain.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.cxr.ingest.domain.intake.DropFolderFiles;
import org.cxr.ingest.domain.intake.FileStability;
import org.cxr.ingest.domain.intake.ImportWalker;
import org.cxr.ingest.domain.intake.ImportWalker.Item;
import org.cxr.ingest.domain.intake.ImportWalker.Kind;
import org.cxr.ingest.domain.intake.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntakeFilesTest {
    @TempDir
    Path tmp;

    @Test
    void mimicWalkOrdersDicomsFirstAndRejectsBadIdsAndEscapes() throws Exception {
        Path root = tmp.resolve("tree");
        Path study = Files.createDirectories(root.resolve("files/p10/p10000032/s50414267"));
        Files.write(study.resolve("02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.dcm"), new byte[] {1});
        Files.writeString(root.resolve("files/p10/p10000032/s50414267.txt"), "report");
        Files.write(study.resolve("bad-name.dcm"), new byte[] {1});
        Files.writeString(root.resolve("README"), "x");
        Path outside = Files.writeString(tmp.resolve("secret.dcm"), "outside");
        Files.createSymbolicLink(study.resolve("aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee.dcm"), outside);

        List<Item> items = ImportWalker.walk(root, ImportWalker.Layout.MIMIC);
        assertThat(items).hasSize(5);
        assertThat(items.get(items.size() - 1).kind()).isEqualTo(Kind.REPORT);
        assertThat(items.get(items.size() - 1).ids().studyId()).isEqualTo("50414267");
        assertThat(items).filteredOn(i -> i.rejected() != null).extracting(i -> i.rejected().reason())
                .containsExactlyInAnyOrder(RejectReason.BAD_ID, RejectReason.PATH_OUTSIDE_ROOT);
        assertThat(items).filteredOn(i -> i.kind() == Kind.SKIPPED).extracting(Item::relative).containsExactly("README");
        assertThat(items).filteredOn(i -> i.rejected() == null && i.kind() == Kind.DICOM).singleElement()
                .extracting(i -> i.ids().dicomId()).isEqualTo("02aa804e-bde0afdd-112c0b34-7bc16630-4e384014");
    }

    @Test
    void folderWalkTakesAnyFileAndTxtReports() throws Exception {
        Files.createDirectories(tmp.resolve("a/b"));
        Files.write(tmp.resolve("a/b/IM0001"), new byte[] {1});
        Files.writeString(tmp.resolve("a/1.2.3.txt"), "r");
        Files.writeString(tmp.resolve("a/.hidden"), "r");
        Files.writeString(tmp.resolve("a/manifest.csv"), "r");
        Files.writeString(tmp.resolve("a/DICOMDIR"), "r");
        List<Item> items = ImportWalker.walk(tmp.resolve("a"), ImportWalker.Layout.FOLDER);
        assertThat(items).extracting(Item::relative).containsExactly("DICOMDIR", "b/IM0001", "manifest.csv", "1.2.3.txt");
        assertThat(items).extracting(Item::kind).containsExactly(Kind.SKIPPED, Kind.DICOM, Kind.SKIPPED, Kind.REPORT);
    }

    @Test
    void fileIsCompleteOnlyAfterItStoppedChanging() {
        FileStability s = new FileStability(Duration.ofSeconds(5));
        Path f = Path.of("x.dcm");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(s.complete(List.of(new FileStability.Seen(f, 10, t0)), t0)).isEmpty();
        assertThat(s.complete(List.of(new FileStability.Seen(f, 20, t0.plusSeconds(3))), t0.plusSeconds(3))).isEmpty();
        assertThat(s.complete(List.of(new FileStability.Seen(f, 20, t0.plusSeconds(3))), t0.plusSeconds(7))).isEmpty();
        assertThat(s.complete(List.of(new FileStability.Seen(f, 20, t0.plusSeconds(3))), t0.plusSeconds(8))).containsExactly(f);
        assertThat(s.complete(List.of(), t0.plusSeconds(9))).isEmpty();
        assertThat(s.complete(List.of(new FileStability.Seen(f, 20, t0.plusSeconds(3))), t0.plusSeconds(10))).isEmpty();
    }

    /**
     * The drop-folder race: a file is seen complete as a regular file, then the writer swaps it for a
     * link to a file outside (or for a FIFO) before the service reads it. The rename into staging
     * takes whatever is there without following or opening it; its type then refuses it.
     */
    @Test
    void stagingNeverFollowsASwappedInLinkOrOpensAFifo() throws Exception {
        Path drop = Files.createDirectories(tmp.resolve("drop"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "outside");
        Path file = Files.writeString(drop.resolve("x.dcm"), "complete");
        Files.delete(file); // the swap, after the file was seen
        Files.createSymbolicLink(file, secret);
        var staged = DropFolderFiles.stage(file, drop.resolve(".staging/x.dcm")).orElseThrow();
        assertThat(staged.type()).isEqualTo(DropFolderFiles.Type.SYMBOLIC_LINK);
        assertThat(Files.readString(secret)).isEqualTo("outside");

        Path pipe = drop.resolve("p.dcm");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0,
                "mkfifo unavailable");
        assertThat(DropFolderFiles.stage(pipe, drop.resolve(".staging/p.dcm")).orElseThrow().type())
                .isEqualTo(DropFolderFiles.Type.OTHER); // returned at once: nothing opened the FIFO
        assertThat(DropFolderFiles.stage(drop.resolve("gone.dcm"), drop.resolve(".staging/gone.dcm"))).isEmpty();
        // a name taken in staging gets a suffix instead of replacing the earlier file
        Files.writeString(drop.resolve("x.dcm"), "again");
        assertThat(DropFolderFiles.stage(drop.resolve("x.dcm"), drop.resolve(".staging/x.dcm")).orElseThrow().path())
                .hasFileName("x.dcm.1");
    }

    @Test
    void processedOriginalsArePurgedAfterTheirRetention() throws Exception {
        Path processed = Files.createDirectories(tmp.resolve("processed/sub"));
        Instant now = Instant.parse("2030-01-02T00:00:00Z");
        Path old = DropFolderFiles.moveStamped(Files.writeString(tmp.resolve("a"), "a"), processed.resolve("a"), now.minusSeconds(7200));
        Path fresh = DropFolderFiles.moveStamped(Files.writeString(tmp.resolve("b"), "b"), processed.resolve("b"), now);
        assertThat(DropFolderFiles.purge(tmp.resolve("processed"), now.minusSeconds(3600))).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }
}
