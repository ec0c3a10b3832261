package org.cxr.catalog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.cxr.platform.messaging.OutageRetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ./cxr release OUT [--with-images] [--since N] [--new] [--catalog-url URL]}: asks the
 * running catalog service to write a release (POST /releases: the service's release code, from its
 * database, into the releases bucket), waits for it, and downloads its files into OUT, checking
 * every sha256 against the release listing. With {@code --with-images} it also downloads every
 * JPG listed in IMAGE_FILENAMES (streamed from the object store by the service) under OUT/files/
 * and adds their checksums to SHA256SUMS.txt, so that {@code sha256sum -c SHA256SUMS.txt} checks
 * the whole tree.
 * <p>
 * Run again with the same OUT after any interruption, it continues the same release (its id is in
 * {@code OUT/.cxr-release/}, see {@link DownloadState}): files already complete and still matching
 * their checksum are kept, a partial file continues with a {@code Range} request, every file is
 * written as {@code NAME.part} and renamed once complete and checked. Progress goes to stderr
 * ({@link ReleaseProgress}); stdout keeps its two lines.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Write a MIMIC-CXR-JPG-style release with the running catalog service and download it into OUT;"
                + " run again with the same OUT to continue an interrupted download of the same release.")
public class ReleaseCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = CatalogClient.JSON;
    /** Journal mark of bytes that came without an ETag: never continued. */
    private static final String NO_ETAG = "-";

    @Parameters(index = "0", paramLabel = "OUT", description = "folder to write the release into (created if needed)")
    Path out;

    @Option(names = "--with-images", description = "also download the JPGs under OUT/files/")
    boolean withImages;

    @Option(names = "--since", paramLabel = "N", description = "incremental: only studies completed or changed after release N")
    Integer since;

    @Option(names = "--new", description = "write a new release even though OUT holds (part of) another one, whose"
            + " downloaded files are removed first")
    boolean fresh;

    @Option(names = "--catalog-url", paramLabel = "URL", defaultValue = "${env:CXR_CATALOG_URL:-http://localhost:8084}",
            description = "catalog service (default ${DEFAULT-VALUE})")
    String catalogUrl;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CXR_TOKEN}", hidden = true,
            description = "bearer token with the operator and researcher roles (default: $CXR_TOKEN)")
    String token;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "parallel downloads (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "6",
            description = "retries of a file whose download broke off, each continuing it (default ${DEFAULT-VALUE})")
    int retries;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "${env:CXR_PROGRESS:-auto}",
            description = "progress on stderr: tty (one updating line), plain (a line every --progress-interval), none,"
                    + " auto (tty when there is a console)")
    String progressMode;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "seconds between plain progress lines (default ${DEFAULT-VALUE})")
    double progressInterval;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "7200",
            description = "give up waiting for the release after this long (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    private PrintWriter stdout = new PrintWriter(System.out, true);
    private PrintWriter stderr = new PrintWriter(System.err, true);
    private CatalogClient catalog;
    private HttpClient http;
    private DownloadState state;
    private ReleaseProgress progress;
    /** Whether this run continues a release OUT held: then files already there are checked first. */
    private boolean resumed;
    private volatile ReleaseProgress.Phase checking;

    /** A file to have in OUT: its path there, and the sha256 the release listing gives (null for JPGs). */
    private record Item(String path, String sha256) {
    }

    /** A download failure that another attempt would not cure (an HTTP 4xx, a wrong checksum). */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** The same, writing to the given streams (tests read them). */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        ReleaseCommand c = new ReleaseCommand();
        c.stdout = out;
        c.stderr = err;
        return new CommandLine(c).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        catalog = new CatalogClient(catalogUrl, token);
        http = catalog.http;
        progress = new ReleaseProgress(ReleaseProgress.Mode.of(progressMode), stderr,
                Duration.ofMillis(Math.max(100, (long) (progressInterval * 1000))));
        state = DownloadState.open(out);
        try {
            resumed = !fresh && state.held() != null;
            Integer id = resumed ? resume(state.held()) : start();
            if (id == null) {
                return 1;
            }
            JsonNode release = await(id);
            if (release == null) {
                return 1;
            }
            return download(id, release);
        } catch (IOException e) {
            stderr.println("cannot reach the catalog service at " + catalog.base() + ": " + e.getMessage()
                    + " (is the platform running? ./cxr up). Run the same command again to continue.");
            return 1;
        } finally {
            state.closeJournal();
        }
    }

    /** POST /releases, and OUT records the new release's id at once. */
    private Integer start() throws Exception {
        if (state.held() != null) { // --new
            stderr.println("--new: removing the files of release " + state.held().releaseId() + " from " + out);
            state.discard();
        } else if (state.outHoldsOtherFiles()) {
            stderr.println(out + " is not empty and holds no ./cxr release download: give an empty or new folder");
            return null;
        }
        ObjectNode body = JSON.createObjectNode();
        if (since != null) {
            body.put("since", since);
        }
        body.put("withImages", false);
        HttpResponse<String> created = http.send(catalog.request("/releases", Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 202) {
            stderr.println("the catalog refused the release (HTTP " + created.statusCode() + "): "
                    + CatalogClient.detail(created.statusCode(), created.body()));
            return null;
        }
        JsonNode r = JSON.readTree(created.body());
        int id = r.get("releaseId").asInt();
        state.hold(id, r.path("createdAt").asText(), catalog.base(), since);
        stdout.println("release " + id + " started" + (since == null ? "" : " (since release " + since + ")"));
        return id;
    }

    /** The release OUT holds, if the catalog has it and it is the one OUT recorded. */
    private Integer resume(DownloadState.Held held) throws Exception {
        int id = held.releaseId();
        String what = "release " + id + (held.since() == null ? "" : " (since release " + held.since() + ")");
        String remedy = "; use another OUT, or --new to replace it with a new release";
        if (since != null && !since.equals(held.since())) {
            stderr.println(out + " holds " + what + ", not a release since " + since + remedy);
            return null;
        }
        HttpResponse<String> r = http.send(catalog.request("/releases/" + id, Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            stderr.println(out + " holds " + what + " of " + held.catalog() + ", which the catalog at " + catalog.base()
                    + " does not have" + remedy);
            return null;
        }
        if (r.statusCode() != 200) {
            stderr.println("cannot read release " + id + " (HTTP " + r.statusCode() + "): "
                    + CatalogClient.detail(r.statusCode(), r.body()));
            return null;
        }
        String createdAt = JSON.readTree(r.body()).path("createdAt").asText();
        if (!sameInstant(createdAt, held.createdAt())) {
            stderr.println(out + " holds " + what + " created at " + held.createdAt() + "; the catalog's release " + id
                    + " was created at " + createdAt + " (a different release: the catalog was rebuilt?)" + remedy);
            return null;
        }
        stdout.println("release " + id + " resumed" + (held.since() == null ? "" : " (since release " + held.since() + ")"));
        return id;
    }

    /** The POST's answer has the time before the database rounded it to microseconds. */
    private static boolean sameInstant(String a, String b) {
        try {
            return Math.abs(Duration.between(Instant.parse(a), Instant.parse(b)).toNanos()) < 1_000_000;
        } catch (DateTimeParseException | NullPointerException e) {
            return a != null && a.equals(b);
        }
    }

    private JsonNode await(int id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long delay = 100;
        ReleaseProgress.Phase building = null;
        try {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r;
                try {
                    r = http.send(catalog.request("/releases/" + id, Duration.ofSeconds(60)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) { // a catalog restarting: the release goes on (or fails) without us
                    building = building != null ? building : progress.phase("release " + id + " building", -1, 0);
                    building.status("catalog unreachable (" + e.getMessage() + "), asking again");
                    Thread.sleep(2000);
                    continue;
                }
                if (r.statusCode() != 200) {
                    stderr.println("cannot read release " + id + " (HTTP " + r.statusCode() + "): "
                            + CatalogClient.detail(r.statusCode(), r.body()));
                    return null;
                }
                JsonNode n = JSON.readTree(r.body());
                String status = n.get("status").asText();
                if ("DONE".equals(status)) {
                    return n;
                }
                if ("FAILED".equals(status)) {
                    stderr.println("release " + id + " failed: " + n.get("error").asText()
                            + " (./cxr release " + out + " --new writes a new release)");
                    return null;
                }
                building = building != null ? building : progress.phase("release " + id + " building", -1, 0);
                building.status(status.toLowerCase());
                Thread.sleep(delay);
                delay = Math.min(delay * 2, 2000);
            }
        } finally {
            if (building != null) {
                building.close();
            }
        }
        stderr.println("release " + id + " is not done after " + timeoutSeconds + " s; see GET " + catalog.base()
                + "/releases/" + id + "; run the same command again to keep waiting for it");
        return null;
    }

    private int download(int id, JsonNode release) throws Exception {
        Files.createDirectories(out);
        String files = "/releases/" + id + "/files/";
        List<Item> listed = new ArrayList<>();
        for (JsonNode f : release.get("files")) {
            listed.add(new Item(f.get("name").asText(), f.get("sha256").asText()));
        }
        Map<String, String> sums = new TreeMap<>();
        long fetched = fetchAll("release " + id + " files", files, listed, sums);
        if (fetched < 0) {
            return 1;
        }
        int images = 0;
        if (withImages) {
            List<Item> jpgs = new ArrayList<>();
            for (String p : Files.readAllLines(out.resolve("IMAGE_FILENAMES"), StandardCharsets.UTF_8)) {
                if (!p.isEmpty()) {
                    jpgs.add(new Item(p, null));
                }
            }
            long more = fetchAll("release " + id + " images", files, jpgs, sums);
            if (more < 0) {
                return 1;
            }
            fetched += more;
            images = jpgs.size();
            StringBuilder sb = new StringBuilder();
            sums.remove("SHA256SUMS.txt");
            sums.forEach((name, sha) -> sb.append(sha).append("  ").append(name).append('\n'));
            Path tmp = out.resolve("SHA256SUMS.txt.part");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, out.resolve("SHA256SUMS.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        stderr.printf("release %d: %s fetched%n", id, ReleaseProgress.size(fetched));
        stdout.printf("release %d: %s images, %s studies, %s subjects -> %s%s%n", id, release.get("images").asText(),
                release.get("studies").asText(), release.get("subjects").asText(), out.toAbsolutePath(),
                withImages ? " (" + images + " JPGs)" : "");
        return 0;
    }

    /**
     * Makes every item present and checked in OUT: those already there and matching their checksum
     * are kept, the others downloaded ({@code parallel} at a time). Adds each one's sha256 to
     * {@code sums}; returns the bytes fetched, or -1 after saying why it failed.
     */
    private long fetchAll(String phaseName, String urlPrefix, List<Item> items, Map<String, String> sums)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Item> missing = new ArrayList<>();
            // a resumed download hashes what it has first (long for a large tree: it has its own bar)
            try (ReleaseProgress.Phase phase = resumed ? progress.phase(phaseName + " checking", items.size(), 0) : null) {
                checking = phase;
                List<Future<String>> checked = new ArrayList<>(items.size());
                for (Item item : items) {
                    checked.add(pool.submit(() -> kept(item)));
                }
                for (int i = 0; i < items.size(); i++) {
                    String sha = checked.get(i).get();
                    if (sha == null) {
                        missing.add(items.get(i));
                    } else {
                        sums.put(items.get(i).path(), sha);
                    }
                }
            } finally {
                checking = null;
            }
            try (ReleaseProgress.Phase phase = progress.phase(phaseName, items.size(), items.size() - missing.size())) {
                List<Future<String>> shas = new ArrayList<>(missing.size());
                for (Item item : missing) {
                    shas.add(pool.submit(() -> fetch(urlPrefix + item.path(), item, phase)));
                }
                for (int i = 0; i < missing.size(); i++) {
                    sums.put(missing.get(i).path(), shas.get(i).get());
                }
                return phase.fetchedBytes();
            }
        } catch (ExecutionException e) {
            // a refusal too: an expired token (401) or a restored object (404) is continued by a rerun
            stderr.println("download failed: " + e.getCause().getMessage() + "; run the same command again to continue");
            return -1;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The sha256 of the item's file in OUT if it is there and matches the listing or the journal, else null. */
    private String kept(Item item) throws IOException {
        Path target = out.resolve(item.path());
        String want = item.sha256() != null ? item.sha256() : state.doneSha(item.path());
        if (want == null || !Files.isRegularFile(target)) {
            return null;
        }
        MessageDigest sha = sha256();
        digest(target, sha);
        String have = HexFormat.of().formatHex(sha.digest());
        if (checking != null) {
            checking.file();
        }
        return have.equals(want) ? have : null;
    }

    private static void digest(Path file, MessageDigest sha) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
        }
    }

    /** Downloads one item, retrying (and continuing) a transfer that broke off; returns its sha256. */
    private String fetch(String url, Item item, ReleaseProgress.Phase phase) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return fetch(url, item, phase, true);
            } catch (Refused e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= retries) {
                    throw new IOException(item.path() + ": " + e.getMessage(), e);
                }
                // jittered: parallel downloads do not all return at once
                long pause = OutageRetry.equalJitter(Duration.ofMillis(500L << Math.min(attempt, 5)),
                        ThreadLocalRandom.current().nextDouble()).toMillis();
                stderr.printf("%s: %s; continuing in %.1f s%n", item.path(), e.getMessage(), pause / 1000.0);
                Thread.sleep(pause);
            }
        }
    }

    /**
     * One attempt: continues {@code PATH.part} with a Range request when its bytes' ETag is known
     * (If-Range: if the object changed since, the catalog answers the whole of it), else fetches the
     * whole file; checks it and renames it into place.
     */
    private String fetch(String url, Item item, ReleaseProgress.Phase phase, boolean mayResume)
            throws IOException, InterruptedException {
        Path target = out.resolve(item.path());
        Path part = DownloadState.part(target);
        Files.createDirectories(target.getParent());
        String etag = state.partEtag(item.path());
        long have = mayResume && etag != null && !NO_ETAG.equals(etag) && Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpRequest.Builder request = catalog.request(url, Duration.ofMinutes(30)).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-").header("If-Range", etag);
        }
        HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = r.statusCode();
        if (status == 416 && have > 0) { // the part is not a prefix of the object: start again
            r.body().close();
            return fetch(url, item, phase, false);
        }
        if (status != 200 && status != 206) {
            String detail;
            try (InputStream in = r.body()) {
                detail = CatalogClient.detail(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String message = "GET " + url + ": HTTP " + status + " " + detail;
            throw status >= 500 ? new IOException(message) : new Refused(message);
        }
        MessageDigest sha = sha256();
        boolean resumed = status == 206;
        if (resumed) {
            String range = r.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + have + "-")) {
                r.body().close();
                throw new IOException("GET " + url + " answered the range " + range + ", not bytes " + have + "-");
            }
            digest(part, sha);
        } else {
            // recorded before any byte is written: a later run continues these bytes only with this ETag
            state.parting(item.path(), r.headers().firstValue("ETag").orElse(NO_ETAG));
        }
        long expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        long received = 0;
        try (InputStream in = r.body(); OutputStream o = resumed
                ? Files.newOutputStream(part, StandardOpenOption.APPEND)
                : Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                o.write(buf, 0, n);
                sha.update(buf, 0, n);
                received += n;
                phase.bytes(n);
            }
        }
        if (expected >= 0 && received != expected) {
            throw new IOException("GET " + url + ": " + received + " of " + expected + " bytes before the connection closed");
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        if (item.sha256() != null && !item.sha256().equals(hex)) {
            Files.delete(part);
            if (resumed) { // the bytes kept from before do not belong to this file: the whole of it again
                return fetch(url, item, phase, false);
            }
            throw new Refused(item.path() + ": sha256 " + hex + " does not match the release listing " + item.sha256());
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state.finished(item.path(), hex);
        phase.file();
        return hex;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
