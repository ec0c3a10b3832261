package org.cxr.catalog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.Api.given;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.events.ObjectKeys;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.testing.auth.TestTokens;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code ./cxr release OUT --with-images} interrupted and run again (issue 16 item 8), through a
 * TCP proxy ({@link CuttingProxy}) that cuts the network 1 MB into a 3 MB JPG: the second run
 * continues the same release (no new one is written), fetches the rest of that JPG with a Range
 * request and nothing already complete, and leaves a tree byte-identical to an uninterrupted
 * download of the release whose {@code sha256sum -c SHA256SUMS.txt} passes; a run whose connection
 * breaks off once continues by itself. Progress appears on stderr as plain lines, stdout keeps its
 * two lines. A folder holding another release, or files of its own, is refused with a clear error;
 * {@code --new} replaces the release a folder holds.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ReleaseResumeTest {
    static final int BIG = 3_000_000;

    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ObjectStore store;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    record Run(int exit, String out, String err) {
    }

    static Run release(String url, Path out, String... more) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        List<String> args = new ArrayList<>(List.of(out.toString(), "--with-images", "--catalog-url", url,
                "--token", TestTokens.token("operator", "researcher"), "--parallel", "1", "--progress", "plain",
                "--progress-interval", "0.1"));
        args.addAll(List.of(more));
        int exit = ReleaseCommand.run(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(String[]::new));
        return new Run(exit, o.toString(), e.toString());
    }

    @Test
    void anInterruptedDownloadContinuesTheSameRelease(@TempDir Path tmp) throws Exception {
        CatalogDb.reset(ds);
        indexer.index(new SmallDataset(20, 21, 950, 950).events);
        List<String> jpgs = releasedJpgPaths();
        assertThat(jpgs).hasSizeGreaterThan(5);
        Random rnd = new Random(42);
        String bigPath = jpgs.get(jpgs.size() / 2);
        byte[] big = new byte[BIG];
        for (String p : jpgs) {
            byte[] b = p.equals(bigPath) ? big : new byte[20_000 + rnd.nextInt(20_000)];
            rnd.nextBytes(b);
            store.put("cxr-jpg", p, b, "image/jpeg", Map.of());
        }
        byte[] marker = Arrays.copyOf(big, 64);

        // 1. the network is cut 1 MB into the big JPG
        Path out = tmp.resolve("out");
        Run cut;
        try (CuttingProxy proxy = new CuttingProxy(port, marker, 1_000_000, false)) {
            cut = release(proxy.url(), out, "--retries", "0");
            assertThat(proxy.cut()).as(proxy.toString()).isTrue();
        }
        assertThat(cut.exit()).as(cut.err()).isEqualTo(1);
        assertThat(cut.err()).contains("run the same command again to continue");
        Matcher started = Pattern.compile("release (\\d+) started").matcher(cut.out());
        assertThat(started.find()).as(cut.out()).isTrue();
        int id = Integer.parseInt(started.group(1));
        Path part = out.resolve(bigPath + ".part");
        assertThat(part).exists();
        long partBytes = Files.size(part);
        assertThat(partBytes).isBetween(500_000L, 1_000_000L);
        assertThat(out.resolve(bigPath)).doesNotExist();
        List<String> order = Files.readAllLines(out.resolve("IMAGE_FILENAMES"));
        assertThat(order).containsExactlyInAnyOrderElementsOf(jpgs);
        List<String> before = order.subList(0, order.indexOf(bigPath));
        assertThat(before).isNotEmpty();
        long beforeBytes = 0;
        for (String p : before) {
            assertThat(out.resolve(p)).as("downloaded before the cut").exists();
            beforeBytes += Files.size(out.resolve(p));
        }

        // 2. run again: the same release, the rest of the big JPG by a Range request, nothing twice
        Run resumed;
        long resumedBytes;
        String requests;
        try (CuttingProxy proxy = new CuttingProxy(port)) {
            resumed = release(proxy.url(), out);
            resumedBytes = proxy.bytesDown();
            requests = proxy.requests();
        }
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.out().lines().toList()).as("stdout: only what scripts read").hasSize(2);
        assertThat(resumed.out()).startsWith("release " + id + " resumed\n").contains("release " + id + ": ");
        given().get("/releases").then().statusCode(200).body("releaseId", org.hamcrest.Matchers.equalTo(List.of(id)));
        String bigRequest = requestFor(requests, "/releases/" + id + "/files/" + bigPath);
        Matcher range = Pattern.compile("(?im)^range: bytes=(\\d+)-$").matcher(bigRequest);
        assertThat(range.find()).as(bigRequest).isTrue();
        assertThat(Long.parseLong(range.group(1))).isEqualTo(partBytes);
        assertThat(bigRequest).containsIgnoringCase("if-range: \"");
        for (String p : before) {
            assertThat(requests).as("complete before the cut: not fetched again").doesNotContain("/files/" + p + " ");
        }
        assertThat(out.resolve(bigPath + ".part")).doesNotExist();
        sha256sumCheck(out);
        // progress: plain lines on stderr with phase, files n/N, bytes and rate
        assertThat(resumed.err()).containsPattern("release " + id + " images.* \\d+/" + jpgs.size() + " files.*B/s");
        assertThat(resumed.err()).contains("release " + id + " images checking");
        List<String> lines = resumed.err().lines().toList();
        System.out.println("[resume] stderr, last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 4), lines.size())));

        // 3. an uninterrupted download of the same release (a folder holding only its id): the same bytes
        Path whole = tmp.resolve("whole");
        Files.createDirectories(whole.resolve(DownloadState.DIR));
        Files.copy(out.resolve(DownloadState.DIR).resolve("release.json"), whole.resolve(DownloadState.DIR).resolve("release.json"));
        long wholeBytes;
        try (CuttingProxy proxy = new CuttingProxy(port)) {
            Run r = release(proxy.url(), whole);
            assertThat(r.exit()).as(r.err()).isZero();
            wholeBytes = proxy.bytesDown();
        }
        assertThat(tree(out)).isEqualTo(tree(whole));
        assertThat(resumedBytes).as("the resumed run fetched only what was missing (kept: %d + %d bytes)", partBytes,
                beforeBytes).isLessThanOrEqualTo(wholeBytes - partBytes - beforeBytes);

        // 4. a connection that breaks off once: the same run continues the file
        Path once = tmp.resolve("once");
        Files.createDirectories(once.resolve(DownloadState.DIR));
        Files.copy(out.resolve(DownloadState.DIR).resolve("release.json"), once.resolve(DownloadState.DIR).resolve("release.json"));
        try (CuttingProxy proxy = new CuttingProxy(port, marker, 1_000_000, true)) {
            Run r = release(proxy.url(), once, "--retries", "2");
            assertThat(proxy.cut()).isTrue();
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains(bigPath + ": ").contains("continuing in");
            assertThat(requestFor(proxy.requests().substring(proxy.requests().indexOf("/files/" + bigPath + " ") + 1),
                    "/releases/" + id + "/files/" + bigPath)).containsIgnoringCase("range: bytes=");
        }
        assertThat(tree(once)).isEqualTo(tree(whole));

        // 5. another release than the folder holds, a folder of other files: refused, clearly
        Run other = release("http://localhost:" + port, out, "--since", Integer.toString(id));
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err()).contains("holds release " + id).contains("not a release since " + id).contains("--new");
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        Run refused = release("http://localhost:" + port, foreign);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("not empty and holds no ./cxr release download");
        assertThat(foreign.resolve("notes.txt")).hasContent("mine");
        given().get("/releases").then().body("releaseId", org.hamcrest.Matchers.equalTo(List.of(id)));

        // 6. --new: a new release replaces the one the folder holds
        Files.writeString(whole.resolve("files/stale.jpg.part"), "x"); // not the command's: kept
        Run fresh = release("http://localhost:" + port, whole, "--new");
        assertThat(fresh.exit()).as(fresh.err()).isZero();
        assertThat(fresh.out()).startsWith("release " + (id + 1) + " started");
        sha256sumCheck(whole);
        assertThat(whole.resolve("files/stale.jpg.part")).exists();
        assertThat(Files.readString(whole.resolve(DownloadState.DIR).resolve("release.json"))).contains("\"releaseId\" : " + (id + 1));
    }

    /** Paths of the JPGs a release written now lists (COMPLETE studies' converted images), in release order. */
    private List<String> releasedJpgPaths() throws Exception {
        List<String> paths = new ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet r = c.createStatement().executeQuery(
                "SELECT i.subject_id, i.study_id, i.dicom_id FROM image i JOIN study s USING (study_id)"
                        + " WHERE s.state = 'COMPLETE' AND i.status = 'CONVERTED'")) {
            while (r.next()) {
                paths.add(ObjectKeys.jpg(Integer.toString(r.getInt(1)), Integer.toString(r.getInt(2)), r.getString(3)));
            }
        }
        paths.sort(null);
        return paths;
    }

    /** The head of the first request for a path. */
    private static String requestFor(String requests, String path) {
        int at = requests.indexOf("GET " + path + " ");
        assertThat(at).as("a request for " + path).isNotNegative();
        return requests.substring(at, requests.indexOf("\r\n\r\n", at));
    }

    private static void sha256sumCheck(Path dir) throws Exception {
        Process p = new ProcessBuilder("sha256sum", "--quiet", "-c", "SHA256SUMS.txt").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    /** Every file of a downloaded release (the command's own state aside) with its bytes. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(f).toString();
                if (!rel.startsWith(DownloadState.DIR + "/")) {
                    files.put(rel, java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
