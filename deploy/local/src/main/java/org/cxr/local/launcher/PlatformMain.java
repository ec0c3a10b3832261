package org.cxr.local.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.cxr.events.Topics;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.infra.Secrets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./cxr up | down | status | run | token}: the local platform's lifecycle. */
@Command(name = "platform", mixinStandardHelpOptions = true,
        subcommands = {PlatformMain.Up.class, PlatformMain.Down.class, PlatformMain.Status.class,
                PlatformMain.Run.class, DemoCommand.class, TokenCommand.class})
public final class PlatformMain {
    static final PrintStream OUT = System.out;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) {
        int code = new CommandLine(new PlatformMain()).execute(args);
        System.exit(code);
    }

    /** Options every lifecycle command shares. */
    static final class Common {
        @Option(names = "--data-dir", description = "where the platform keeps its data (default: $CXR_DATA_DIR or ./.cxr-data)")
        Path dataDir;

        @Option(names = "--kafka-port", description = "default ${DEFAULT-VALUE}")
        int kafkaPort = PlatformConfig.DEFAULT_KAFKA_PORT;
        @Option(names = "--postgres-port", description = "default ${DEFAULT-VALUE}")
        int postgresPort = PlatformConfig.DEFAULT_POSTGRES_PORT;
        @Option(names = "--s3-port", description = "default ${DEFAULT-VALUE}")
        int s3Port = PlatformConfig.DEFAULT_S3_PORT;
        @Option(names = "--ingest-port", description = "default ${DEFAULT-VALUE}")
        int ingestPort = 8081;
        @Option(names = "--convert-port", description = "default ${DEFAULT-VALUE}")
        int convertPort = 8082;
        @Option(names = "--label-port", description = "default ${DEFAULT-VALUE}")
        int labelPort = 8083;
        @Option(names = "--catalog-port", description = "default ${DEFAULT-VALUE}")
        int catalogPort = 8084;
        @Option(names = "--otlp", paramLabel = "URL", description = "export the services' traces to this OTLP"
                + " collector (gRPC, e.g. http://localhost:4317): QUARKUS_OTEL_SDK_DISABLED=false and"
                + " QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT=URL for each service. Without it, those variables (and any other"
                + " QUARKUS_OTEL_*) are taken from the environment; tracing is off unless asked.")
        String otlp;

        Path dataDir() {
            if (dataDir != null) {
                return dataDir.toAbsolutePath();
            }
            String env = System.getenv("CXR_DATA_DIR");
            return (env != null && !env.isBlank() ? Path.of(env) : LocalClasspath.repoRoot().resolve(".cxr-data"))
                    .toAbsolutePath();
        }

        PlatformConfig config() {
            return new PlatformConfig(LocalClasspath.repoRoot(), dataDir(), kafkaPort, postgresPort, s3Port,
                    Map.of("ingest", ingestPort, "convert", convertPort, "label", labelPort, "catalog", catalogPort));
        }

        List<String> asArgs() {
            List<String> args = new ArrayList<>(List.of("--data-dir", dataDir().toString(), "--kafka-port", "" + kafkaPort,
                    "--postgres-port", "" + postgresPort, "--s3-port", "" + s3Port, "--ingest-port", "" + ingestPort,
                    "--convert-port", "" + convertPort, "--label-port", "" + labelPort, "--catalog-port",
                    "" + catalogPort));
            if (otlp != null) {
                args.addAll(List.of("--otlp", otlp));
            }
            return args;
        }
    }

    /** Runs the platform in the foreground until SIGTERM/Ctrl-C. {@code up} starts this detached. */
    @Command(name = "run", description = "Run the platform in the foreground (Ctrl-C stops it).")
    static final class Run implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            PlatformConfig config = common.config();
            Platform platform = new Platform(config);
            if (common.otlp != null) {
                platform.exportTraces(common.otlp);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                platform.close();
                stopped.countDown();
            }, "platform-stop"));
            try {
                platform.start(Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                OUT.println("cxr: the platform did not start: " + e.getMessage());
                return 1;
            }
            printReady(platform.state(), config, false);
            List<String> reported = List.of();
            while (true) {
                try {
                    if (stopped.await(2, TimeUnit.SECONDS)) {
                        return 0;
                    }
                } catch (InterruptedException e) {
                    return 0;
                }
                List<String> down = platform.down();
                if (!down.isEmpty() && !down.equals(reported)) {
                    OUT.println("cxr: restarting " + down + " (they exited; see " + config.logDir() + ")");
                }
                reported = down;
            }
        }
    }

    @Command(name = "up", description = "Start the platform in the background and wait until it is ready.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            PlatformConfig config = common.config();
            Optional<PlatformState> existing = PlatformState.read(config.stateFile());
            if (existing.isPresent() && existing.get().alive()) {
                OUT.println("cxr: the platform is already running (pid " + existing.get().supervisorPid() + ", "
                        + existing.get().phase() + "). ./cxr status shows it, ./cxr down stops it.");
                return 0;
            }
            Files.createDirectories(config.logDir());
            Files.deleteIfExists(config.stateFile());
            Path log = config.logDir().resolve("platform.log");
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                cmd.add("/usr/bin/setsid"); // own session: a Ctrl-C in this terminal does not reach it
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(PlatformMain.class.getName());
            cmd.add("run");
            cmd.addAll(common.asArgs());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            OUT.println("cxr: starting Kafka, PostgreSQL, S3 and the four services (log: " + log + ")");
            long t0 = System.nanoTime();
            String lastMessage = "";
            while (true) {
                Thread.sleep(500);
                Optional<PlatformState> s = PlatformState.read(config.stateFile());
                if (s.isPresent() && !s.get().message().equals(lastMessage)) {
                    lastMessage = s.get().message();
                    OUT.printf("cxr:   %s (%.0f s)%n", lastMessage, (System.nanoTime() - t0) / 1e9);
                }
                if (s.isPresent() && PlatformState.READY.equals(s.get().phase())) {
                    printReady(s.get(), config, true);
                    OUT.printf("cxr: ready in %.1f s. Stop it with ./cxr down.%n", (System.nanoTime() - t0) / 1e9);
                    return 0;
                }
                if (s.isPresent() && PlatformState.FAILED.equals(s.get().phase()) || !p.isAlive()) {
                    p.waitFor(60, TimeUnit.SECONDS);
                    OUT.println("cxr: the platform did not start: " + s.map(PlatformState::message).orElse(
                            "the launcher exited; last lines of " + log + ":\n" + ServiceProcess.tail(log, 20)));
                    return 1;
                }
            }
        }
    }

    @Command(name = "down", description = "Stop the platform started with up (or demo) and check nothing is left.")
    static final class Down implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() throws Exception {
            PlatformConfig config = common.config();
            Optional<PlatformState> s = PlatformState.read(config.stateFile());
            if (s.isEmpty() || !s.get().alive()) {
                Files.deleteIfExists(config.stateFile());
                List<Long> strays = strays(config);
                if (strays.isEmpty()) {
                    OUT.println("cxr: the platform is not running.");
                    return 0;
                }
                OUT.println("cxr: no launcher running, but its processes are: stopping " + strays);
                strays.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
                return awaitGone(strays) ? 0 : 1;
            }
            PlatformState state = s.get();
            OUT.println("cxr: stopping the platform (pid " + state.supervisorPid() + ") ...");
            ProcessHandle supervisor = ProcessHandle.of(state.supervisorPid()).orElseThrow();
            List<Long> all = state.allPids();
            supervisor.destroy();
            boolean gone = awaitGone(all);
            List<String> bound = boundPorts(state);
            if (gone && bound.isEmpty()) {
                OUT.println("cxr: stopped; no process left, ports free.");
                return 0;
            }
            OUT.println("cxr: stop incomplete: processes alive=" + !gone + ", ports still bound=" + bound);
            return 1;
        }

        private static boolean awaitGone(List<Long> pids) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                if (pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
                    return true;
                }
                Thread.sleep(200);
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return false;
        }

        private static List<String> boundPorts(PlatformState state) {
            List<String> bound = new ArrayList<>();
            List<String> addrs = new ArrayList<>(state.serviceUrls().values());
            if (state.managementUrls() != null) {
                addrs.addAll(state.managementUrls().values());
            }
            if (state.endpoints() != null) {
                addrs.add("x://" + state.endpoints().kafkaBootstrap());
                addrs.add(state.endpoints().jdbcBaseUrl().replace("jdbc:postgresql", "x"));
                addrs.add(state.endpoints().s3Endpoint());
            }
            for (String a : addrs) {
                int port = URI.create(a).getPort();
                if (port > 0 && !FreePorts.isFree(port)) {
                    bound.add(a);
                }
            }
            return bound;
        }
    }

    /**
     * Processes a launcher that is gone (e.g. killed with SIGKILL) left behind for this data
     * directory: its JVMs (services, broker, S3 server: their command line names the data directory)
     * and its PostgreSQL server. Another platform's processes (another data directory) are left alone.
     */
    static List<Long> strays(PlatformConfig config) {
        String dir = config.dataDir().toString();
        String cluster = config.dataDir().resolve("postgres").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> " " + String.join(" ", a) + " ")
                        .map(a -> a.contains(" -Dcxr.launcher.service=") && !a.contains("=test-infra ")
                                && (a.contains(" -Dcxr.launcher.data=" + dir + " ") || a.contains(" " + dir + " "))
                                || a.contains(" -D " + cluster + " "))
                        .orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    @Command(name = "status", description = "Processes (restarts), stage counts, consumer lag, failures and health;"
            + " with --catalog-url, a remote platform (Kubernetes, compose) through its catalog's API and a token.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--catalog-url", description = "a remote platform's catalog (public URL); the token comes from"
                + " $CXR_TOKEN (roles operator and researcher: ./cxr token there, or your OIDC provider)")
        String catalogUrl;

        @Option(names = "--service-url", description = "NAME=URL of a service whose readiness to show"
                + " (/q/health/ready there: its management URL), repeatable, e.g. catalog=http://catalog:9000")
        Map<String, String> serviceUrls = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            if (catalogUrl != null) {
                return remote(catalogUrl, serviceUrls);
            }
            PlatformConfig config = common.config();
            Optional<PlatformState> s = PlatformState.read(config.stateFile());
            if (s.isEmpty() || !s.get().alive()) {
                OUT.println("cxr: the platform is not running (start it with ./cxr up or ./cxr demo).");
                return 3;
            }
            PlatformState state = s.get();
            OUT.println("platform: " + state.phase() + " since " + state.startedAt() + " (pid " + state.supervisorPid()
                    + ", data " + config.dataDir() + ")");
            if (!PlatformState.READY.equals(state.phase())) {
                OUT.println("  " + state.message());
                return PlatformState.FAILED.equals(state.phase()) ? 1 : 0;
            }
            boolean healthy = true;
            OUT.printf("  %-8s %-8s %-10s %-8s %-24s %s%n", "process", "pid", "phase", "restarts", "url", "health");
            for (Map.Entry<String, PlatformState.ProcessInfo> e : state.processes().entrySet()) {
                PlatformState.ProcessInfo p = e.getValue();
                String url = state.serviceUrls().getOrDefault(e.getKey(), "");
                String health = url.isEmpty() ? ("up".equals(p.phase()) ? "running" : p.phase())
                        : health(state.managementUrls().get(e.getKey()), url);
                healthy &= "up".equals(p.phase()) && (url.isEmpty() || health.startsWith("UP"));
                OUT.printf("  %-8s %-8d %-10s %-8d %-24s %s%s%n", e.getKey(), p.pid(), p.phase(), p.restarts(), url,
                        health, p.lastExit() == null ? "" : "  (last: " + p.lastExit() + ")");
            }
            OUT.println(listeners(state));
            Secrets secrets = new Secrets(config.dataDir());
            try (StageCounters counters = new StageCounters(
                    Platform.adminClientConfig(state.endpoints().kafkaBootstrap(), secrets))) {
                Map<String, Long> c = counters.topicCounts();
                OUT.printf("stages: instances received %d -> converted %d (failed %d); reports received %d -> labelled %d"
                                + " (failed %d); catalog updates %d (failed %d)%n",
                        c.get(Topics.INSTANCE_RECEIVED), c.get(Topics.INSTANCE_CONVERTED), c.get(Topics.CONVERT_DLQ),
                        c.get(Topics.REPORT_RECEIVED), c.get(Topics.REPORT_LABELLED), c.get(Topics.LABEL_DLQ),
                        c.get(Topics.STUDY_INDEXED), c.get(Topics.CATALOG_DLQ));
                OUT.println("lag (records not yet consumed): " + new TreeMap<>(counters.lag()));
            } catch (Exception e) {
                OUT.println("stages: Kafka not answering: " + e.getMessage());
                healthy = false;
            }
            String token = TokenCommand.mint(secrets, TokenCommand.cliUser(), List.of("researcher"), Duration.ofMinutes(5));
            get(state.serviceUrls().get("catalog") + "/stats/states", token)
                    .ifPresent(body -> OUT.println("catalog studies by state: " + body));
            return healthy ? 0 : 1;
        }
    }

    /** ingest's hospital listeners (DICOM and HL7), with who may send: the demo's sender on this machine. */
    static String listeners(PlatformState state) {
        Map<String, String> l = state.listeners() == null ? Map.of() : state.listeners();
        return "  hospital listeners (ingest): DICOM C-STORE " + l.getOrDefault("dimse", "off") + " (called AE "
                + Platform.INGEST_AE_TITLE + ", calling AE " + Platform.DEMO_SENDER + "@127.0.0.1 allowed), HL7 MLLP "
                + l.getOrDefault("hl7", "off") + " (sender " + Platform.DEMO_SENDER + "@127.0.0.1 allowed)";
    }

    /**
     * A platform this machine did not start: readiness of the given URLs, and from the catalog's API
     * (bearer token from {@code CXR_TOKEN}) the consumer lag per stage ({@code GET /pipeline/lag},
     * operator) and the studies per state ({@code GET /stats/states}, researcher).
     */
    static int remote(String catalogUrl, Map<String, String> serviceUrls) {
        String token = System.getenv("CXR_TOKEN");
        String catalog = catalogUrl.replaceAll("/+$", "");
        OUT.println("platform: remote, catalog " + catalog);
        boolean healthy = true;
        if (!serviceUrls.isEmpty()) {
            OUT.printf("  %-8s %-40s %s%n", "service", "url", "readiness");
        }
        for (Map.Entry<String, String> e : serviceUrls.entrySet()) {
            String health = health(null, e.getValue().replaceAll("/+$", ""));
            healthy &= health.startsWith("UP");
            OUT.printf("  %-8s %-40s %s%n", e.getKey(), e.getValue(), health);
        }
        if (token == null || token.isBlank()) {
            OUT.println("cxr: no token: set CXR_TOKEN (roles operator and researcher) to see lag and studies");
            return 1;
        }
        Optional<HttpResponse<String>> lag = fetch(catalog + "/pipeline/lag", token);
        if (lag.isEmpty() || lag.get().statusCode() != 200) {
            OUT.println("lag: " + lag.map(r -> "HTTP " + r.statusCode() + (r.statusCode() == 401 ? " (token refused)"
                    : r.statusCode() == 403 ? " (the token lacks the operator role)" : "")).orElse("catalog not answering"));
            healthy = false;
        } else {
            try {
                com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lag.get().body());
                for (com.fasterxml.jackson.databind.JsonNode g : j.path("groups")) {
                    OUT.printf("lag: %-16s %8d records  %-16s members %d%n", g.path("group").asText(), g.path("lag").asLong(),
                            g.path("health").asText(), g.path("members").asInt());
                }
                if (!j.path("error").isMissingNode() && !j.path("error").isNull()) {
                    OUT.println("lag: the catalog could not read the broker: " + j.path("error").asText());
                    healthy = false;
                }
            } catch (IOException e) {
                OUT.println("lag: unreadable answer: " + e.getMessage());
                healthy = false;
            }
        }
        Optional<HttpResponse<String>> states = fetch(catalog + "/stats/states", token);
        OUT.println("catalog studies by state: " + states.map(r -> r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode())
                .orElse("catalog not answering"));
        return healthy ? 0 : 1;
    }

    /** UP, DOWN with the readiness body, or "not answering" (management port first, then the public one). */
    static String health(String managementUrl, String publicUrl) {
        return ServiceProcess.readiness(managementUrl, publicUrl)
                .map(r -> r.statusCode() == 200 ? "UP" : "DOWN (HTTP " + r.statusCode() + ") " + r.body().replaceAll("\\s+", " "))
                .orElse("not answering");
    }

    /** The body of a GET with a bearer token, if the service answered. */
    static Optional<String> get(String url, String bearer) {
        return fetch(url, bearer).map(HttpResponse::body);
    }

    /** A GET with a bearer token, if the service answered. */
    static Optional<HttpResponse<String>> fetch(String url, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            return Optional.of(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Where everything is; with {@code login}, the dashboard link that logs an operator in (the token
     * rides in the URL fragment, which browsers never send to a server, so no log records it).
     */
    static void printReady(PlatformState state, PlatformConfig config, boolean login) {
        OUT.println("cxr: platform ready");
        OUT.println("  ingest   " + state.serviceUrls().get("ingest") + "   (upload: POST /studies/instances, "
                + "PUT /studies/{uid}/report, STOW-RS /dicomweb/studies; drop folder " + config.dropFolder() + ")");
        OUT.println("  catalog  " + state.serviceUrls().get("catalog") + "   (dashboard /dashboard/, API /q/swagger-ui/)");
        OUT.println("  convert  " + state.serviceUrls().get("convert") + "   label " + state.serviceUrls().get("label"));
        OUT.println(listeners(state));
        OUT.println("  kafka " + state.endpoints().kafkaBootstrap() + " (SASL/SCRAM)   postgres "
                + state.endpoints().jdbcBaseUrl() + "   s3 " + state.endpoints().s3Endpoint());
        OUT.println("  health and metrics: the management ports " + state.managementUrls().values()
                + " (/q/health/ready, /q/metrics)");
        OUT.println("  credentials: " + config.dataDir().resolve("secrets") + "   tokens: ./cxr token --role operator"
                + "   logs: " + config.logDir());
        if (login) {
            String token = TokenCommand.mint(new Secrets(config.dataDir()), TokenCommand.cliUser(), List.of("operator"),
                    TokenCommand.DASHBOARD_TTL);
            OUT.println("  dashboard login (operator, " + TokenCommand.DASHBOARD_TTL.toHours() + " h): "
                    + state.serviceUrls().get("catalog") + "/dashboard/login#token=" + token);
        }
    }
}
