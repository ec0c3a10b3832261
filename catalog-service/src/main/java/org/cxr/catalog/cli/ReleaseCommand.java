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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ./cxr release OUT [--with-images] [--since N] [--catalog-url URL]}: asks the running
 * catalog service to write a release (POST /releases: the service's release code, from its
 * database, into the releases bucket), waits for it, and downloads its files into OUT, checking
 * every sha256 against the release listing. With {@code --with-images} it also downloads every
 * JPG listed in IMAGE_FILENAMES (streamed from the object store by the service) under OUT/files/
 * and adds their checksums to SHA256SUMS.txt, so that {@code sha256sum -c SHA256SUMS.txt} checks
 * the whole tree.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Write a MIMIC-CXR-JPG-style release with the running catalog service and download it into OUT.")
public class ReleaseCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "OUT", description = "folder to write the release into (created if needed)")
    Path out;

    @Option(names = "--with-images", description = "also download the JPGs under OUT/files/")
    boolean withImages;

    @Option(names = "--since", paramLabel = "N", description = "incremental: only studies completed or changed after release N")
    Integer since;

    @Option(names = "--catalog-url", paramLabel = "URL", defaultValue = "${env:CXR_CATALOG_URL:-http://localhost:8084}",
            description = "catalog service (default ${DEFAULT-VALUE})")
    String catalogUrl;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CXR_TOKEN}", hidden = true,
            description = "bearer token with the operator and researcher roles (default: $CXR_TOKEN)")
    String token;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "parallel JPG downloads (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "7200",
            description = "give up waiting for the release after this long (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    private PrintWriter stdout = new PrintWriter(System.out, true);
    private PrintWriter stderr = new PrintWriter(System.err, true);
    private CatalogClient catalog;
    private HttpClient http;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
    public static int run(String... args) {
        return new CommandLine(new ReleaseCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        catalog = new CatalogClient(catalogUrl, token);
        http = catalog.http;
        String base = catalog.base();
        ObjectNode body = JSON.createObjectNode();
        if (since != null) {
            body.put("since", since);
        }
        body.put("withImages", false);
        HttpResponse<String> created;
        try {
            created = http.send(catalog.request("/releases", Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            stderr.println("cannot reach the catalog service at " + base + ": " + e.getMessage()
                    + " (is the platform running? ./cxr up)");
            return 1;
        }
        if (created.statusCode() != 202) {
            stderr.println("the catalog refused the release (HTTP " + created.statusCode() + "): "
                    + CatalogClient.detail(created.statusCode(), created.body()));
            return 1;
        }
        int id = JSON.readTree(created.body()).get("releaseId").asInt();
        stdout.println("release " + id + " started" + (since == null ? "" : " (since release " + since + ")"));
        JsonNode release = await(base, id);
        if (release == null) {
            return 1;
        }
        Files.createDirectories(out);
        Map<String, String> sums = new TreeMap<>();
        for (JsonNode f : release.get("files")) {
            String name = f.get("name").asText();
            String sha = download(base + "/releases/" + id + "/files/" + name, out.resolve(name));
            if (!sha.equals(f.get("sha256").asText())) {
                stderr.println(name + ": sha256 " + sha + " does not match the release listing " + f.get("sha256").asText());
                return 1;
            }
            sums.put(name, sha);
        }
        int images = 0;
        if (withImages) {
            images = downloadImages(base, id, sums);
            if (images < 0) {
                return 1;
            }
        }
        stdout.printf("release %d: %s images, %s studies, %s subjects -> %s%s%n", id, release.get("images").asText(),
                release.get("studies").asText(), release.get("subjects").asText(), out.toAbsolutePath(),
                withImages ? " (" + images + " JPGs)" : "");
        return 0;
    }

    private JsonNode await(String base, int id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long delay = 100;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(catalog.request("/releases/" + id, Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
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
                stderr.println("release " + id + " failed: " + n.get("error").asText());
                return null;
            }
            Thread.sleep(delay);
            delay = Math.min(delay * 2, 2000);
        }
        stderr.println("release " + id + " is not done after " + timeoutSeconds + " s; see GET " + base + "/releases/" + id);
        return null;
    }

    private int downloadImages(String base, int id, Map<String, String> sums) throws Exception {
        List<String> paths = Files.readAllLines(out.resolve("IMAGE_FILENAMES"), StandardCharsets.UTF_8);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<String>> shas = new ArrayList<>(paths.size());
            for (String p : paths) {
                if (p.isEmpty()) {
                    continue;
                }
                shas.add(pool.submit(() -> download(base + "/releases/" + id + "/files/" + p, out.resolve(p))));
            }
            int k = 0;
            for (String p : paths) {
                if (!p.isEmpty()) {
                    sums.put(p, shas.get(k++).get());
                }
            }
        } catch (ExecutionException e) {
            stderr.println("JPG download failed: " + e.getCause().getMessage());
            return -1;
        } finally {
            pool.shutdownNow();
        }
        StringBuilder sb = new StringBuilder();
        sums.remove("SHA256SUMS.txt");
        sums.forEach((name, sha) -> sb.append(sha).append("  ").append(name).append('\n'));
        Files.writeString(out.resolve("SHA256SUMS.txt"), sb.toString(), StandardCharsets.UTF_8);
        return paths.size();
    }

    /** Streams a URL into a file (written aside, then renamed); returns its sha256. */
    private String download(String url, Path target) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(catalog.request(url, Duration.ofMinutes(30)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String detail;
            try (InputStream in = r.body()) {
                detail = CatalogClient.detail(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            throw new IOException("GET " + url + ": HTTP " + r.statusCode() + " " + detail);
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = r.body(); OutputStream o = new DigestOutputStream(Files.newOutputStream(part), sha)) {
            in.transferTo(o);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return HexFormat.of().formatHex(sha.digest());
    }
}
