package org.cxr.ingest.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./cxr import PATH [--layout folder|mimic] [--ingest-url URL]}: starts an import on the
 * running ingest service (which reads PATH from its own filesystem), shows its progress until it
 * ends and prints a summary by reason. Exit code 0 when nothing was rejected or failed, 1 when
 * something was, 2 when the import could not run.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a MIMIC-CXR tree or a folder of DICOM files and reports into the running ingest service.")
public class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "folder to import (read by the ingest service: same machine)")
    Path path;

    @Option(names = "--layout", defaultValue = "folder",
            description = "folder (any DICOMs + <StudyInstanceUID>.txt; de-identified, ids assigned; auto is the same) or"
                    + " mimic (files/pXX/pSUBJECT/sSTUDY/...: only for a tree that is ALREADY de-identified, such as a"
                    + " MIMIC-CXR release; stored byte for byte, ids and text kept). Default: ${DEFAULT-VALUE}")
    String layout;

    @Option(names = "--ingest-url", defaultValue = "${env:CXR_INGEST_URL:-http://localhost:8081}",
            description = "ingest service base URL. Default: ${DEFAULT-VALUE}")
    String ingestUrl;

    @Option(names = "--poll", defaultValue = "500", description = "progress poll interval in ms")
    long pollMillis;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out;
    /** A bearer token with the operator role; never an option (a command line is visible to every user of the machine). */
    private final String token;

    public ImportCommand() {
        this(System.out, System.getenv("CXR_TOKEN"));
    }

    /**
     * @param out   where progress and the summary go (tests read it)
     * @param token the bearer token (./cxr passes CXR_TOKEN), or null
     */
    public ImportCommand(PrintStream out, String token) {
        this.out = out;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ImportCommand()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        String base = ingestUrl.replaceAll("/+$", "");
        if ("mimic".equalsIgnoreCase(layout)) {
            out.println("--layout mimic: you state that " + path.toAbsolutePath().normalize() + " is already de-identified"
                    + " (a MIMIC-CXR release). Its files are stored byte for byte: no header is de-identified, no report"
                    + " is scrubbed, its ids are kept. For any other tree use --layout folder.");
        }
        String body = json.writeValueAsString(Map.of("path", path.toAbsolutePath().normalize().toString(), "layout", layout));
        HttpResponse<String> started;
        try {
            started = http.send(authorized(HttpRequest.newBuilder(URI.create(base + "/imports")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("cannot reach the ingest service at " + base + ": " + e);
            return 2;
        }
        if (started.statusCode() != 202) {
            System.err.println("import refused (" + started.statusCode() + "): " + started.body()
                    + (started.statusCode() == 401 || started.statusCode() == 403
                    ? " - set CXR_TOKEN to a token with the operator role (./cxr token --role operator)" : ""));
            return 2;
        }
        String id = json.readTree(started.body()).path("importId").asText();
        out.println("import " + id + " of " + path.toAbsolutePath().normalize() + " ("
                + json.readTree(started.body()).path("layout").asText() + " layout)");
        JsonNode p = poll(base, id);
        printSummary(p);
        if (!"DONE".equals(p.path("state").asText())) {
            return 2;
        }
        return p.path("rejected").asLong() + p.path("failed").asLong() > 0 ? 1 : 0;
    }

    /** {@code Authorization: Bearer $CXR_TOKEN} when set (./cxr import sets it: a token with the operator role). */
    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private JsonNode poll(String base, String id) throws Exception {
        HttpRequest get = authorized(HttpRequest.newBuilder(URI.create(base + "/imports/" + id))).GET().build();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("import").setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(0).setUnit(" files", 1).setUpdateIntervalMillis(250).continuousUpdate().build()) {
            while (true) {
                JsonNode p = json.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
                bar.maxHint(p.path("filesTotal").asLong());
                bar.stepTo(p.path("filesSeen").asLong());
                bar.setExtraMessage(String.format(" %d ok, %d dup, %d rejected, %d failed, %.1f MB/s",
                        p.path("accepted").asLong(), p.path("duplicates").asLong(), p.path("rejected").asLong(),
                        p.path("failed").asLong(), p.path("megabytesPerSecond").asDouble()));
                if (!"RUNNING".equals(p.path("state").asText())) {
                    return p;
                }
                Thread.sleep(pollMillis);
            }
        }
    }

    void printSummary(JsonNode p) {
        out.printf("%s: %d files in %.1f s (%.1f files/s, %.1f MB/s)%n", p.path("state").asText(),
                p.path("filesSeen").asLong(), p.path("elapsedSeconds").asDouble(), p.path("filesPerSecond").asDouble(),
                p.path("megabytesPerSecond").asDouble());
        JsonNode i = p.path("instances");
        JsonNode r = p.path("reports");
        out.printf("  instances: %d accepted, %d duplicates, %d conflicts, %d rejected%n", i.path("accepted").asLong(),
                i.path("duplicates").asLong(), i.path("conflicts").asLong(), i.path("rejected").asLong());
        out.printf("  reports:   %d accepted, %d unchanged, %d rejected%n", r.path("accepted").asLong(),
                r.path("unchanged").asLong(), r.path("rejected").asLong());
        out.printf("  failed: %d, skipped: %d%n", p.path("failed").asLong(), p.path("skipped").asLong());
        var reasons = p.path("rejectedByReason");
        if (reasons.size() > 0) {
            out.println("  by reason:");
            reasons.fields().forEachRemaining(e -> out.printf("    %-20s %d%n", e.getKey(), e.getValue().asLong()));
        }
        if (!p.path("error").isNull() && !p.path("error").isMissingNode()) {
            out.println("  error: " + p.path("error").asText());
        }
    }
}
