package org.cxr.catalog.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./cxr redrive STAGE [--reason R] [--dry-run]}: asks the running catalog to redrive every
 * dead letter of a stage (or of one reason): POST /dead-letters/redrive with one request id, so a
 * retried call sends nothing twice. Token from {@code CXR_TOKEN} (operator role).
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Redrive the dead letters of a stage (convert, label, catalog) with the running catalog service.")
public class RedriveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STAGE", description = "convert, label or catalog")
    String stage;

    @Option(names = "--reason", paramLabel = "R", description = "only this reason (e.g. MULTI_FRAME, INTERNAL_ERROR)")
    String reason;

    @Option(names = "--dry-run", description = "only say what would be redriven")
    boolean dryRun;

    @Option(names = "--catalog-url", paramLabel = "URL", defaultValue = "${env:CXR_CATALOG_URL:-http://localhost:8084}",
            description = "catalog service (default ${DEFAULT-VALUE})")
    String catalogUrl;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CXR_TOKEN}", hidden = true,
            description = "bearer token with the operator role (default: $CXR_TOKEN)")
    String token;

    PrintWriter stdout = new PrintWriter(System.out, true);
    PrintWriter stderr = new PrintWriter(System.err, true);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
    public static int run(String... args) {
        return new CommandLine(new RedriveCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        CatalogClient catalog = new CatalogClient(catalogUrl, token);
        ObjectNode body = CatalogClient.JSON.createObjectNode().put("stage", stage)
                .put("requestId", "cli-" + UUID.randomUUID()).put("dryRun", dryRun);
        if (reason != null) {
            body.put("reason", reason);
        }
        HttpRequest request = catalog.request("/dead-letters/redrive", Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> r = null;
        for (int attempt = 1; r == null; attempt++) {
            try {
                r = catalog.http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // the same request id: a retry after a lost answer redrives nothing twice
                if (attempt == 3) {
                    stderr.println("cannot reach the catalog service at " + catalog.base() + ": " + e.getMessage()
                            + " (is the platform running? ./cxr up)");
                    return 1;
                }
                Thread.sleep(1000L * attempt);
            }
        }
        if (r.statusCode() != 200) {
            stderr.println("the catalog refused the redrive (HTTP " + r.statusCode() + "): "
                    + CatalogClient.detail(r.statusCode(), r.body()));
            return 1;
        }
        JsonNode result = CatalogClient.JSON.readTree(r.body());
        stdout.printf("%s %d of %d dead letter(s) of %s%s (%d already redriven since they failed)%s%n",
                dryRun ? "would redrive" : "redrove", result.get("redriven").asInt(), result.get("selected").asInt(),
                stage, reason == null ? "" : " with reason " + reason, result.get("alreadyRedriven").asInt(),
                result.get("selected").asInt() >= 10_000 ? "; more may be left: run it again" : "");
        return 0;
    }
}
