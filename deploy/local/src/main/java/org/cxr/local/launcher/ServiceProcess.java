package org.cxr.local.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.cxr.local.infra.ClassDataArchive;

/**
 * A service JVM the launcher starts (and restarts), with its log in {@code <data-dir>/logs/<name>.log},
 * its public port and its management port (health and metrics, once the service turns Quarkus's
 * management interface on; until then they stay on the public port, and readiness is asked there).
 * Benchmarks start one on its own with {@link #start}.
 */
public final class ServiceProcess implements Child, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceSpec spec;
    private final Path repoRoot;
    private final int port;
    private final int managementPort;
    private final Map<String, String> env;
    private final Path log;
    private volatile Process current;
    private volatile ClassDataArchive.Start currentArchive;

    ServiceProcess(ServiceSpec spec, Path repoRoot, int port, int managementPort, Map<String, String> env, Path logDir) {
        this.spec = spec;
        this.repoRoot = repoRoot;
        this.port = port;
        this.managementPort = managementPort;
        this.env = new LinkedHashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        this.env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        this.log = logDir.resolve(spec.name() + ".log");
    }

    /** Starts a service on its own (not supervised), with a free management port. */
    public static ServiceProcess start(ServiceSpec spec, Path repoRoot, int port, Map<String, String> env, Path logDir) {
        ServiceProcess s = new ServiceProcess(spec, repoRoot, port, org.cxr.local.infra.FreePorts.pick(0), env, logDir);
        s.launch();
        return s;
    }

    /** Waits until the process last launched is ready. */
    public void awaitReady(Duration timeout) {
        awaitReady(current, timeout);
    }

    public long pid() {
        return current.pid();
    }

    public boolean alive() {
        return current != null && current.isAlive();
    }

    @Override
    public void close() {
        stop(current);
    }

    @Override
    public String name() {
        return spec.name();
    }

    ServiceSpec spec() {
        return spec;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    @Override
    public Process launch() {
        Path jar = spec.runnerJar(repoRoot);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(spec.module() + " is not packaged (" + jar + " missing): run ./cxr build");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + spec.maxHeap());
        cmd.addAll(org.cxr.local.infra.ServerJvm.heapOptions(spec.name(), spec.maxHeap()));
        ClassDataArchive.Start cds = archive(jar).start();
        cmd.addAll(cds.options());
        cmd.addAll(org.cxr.local.infra.ServerJvm.platformOptions(spec.name(), System.getenv())); // last: they win
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Dcxr.launcher.service=" + spec.name()); // lets `ps` and `./cxr down` recognise our JVMs
        cmd.add("-Dcxr.launcher.data=" + log.getParent().getParent()); // ... and the platform they belong to
        cmd.add("-jar");
        cmd.add(jar.toString());
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(repoRoot.resolve(spec.module()).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            p.onExit().thenAccept(gone -> archive(jar).exited(cds, gone.exitValue()));
            current = p;
            currentArchive = cds;
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.module(), e);
        }
    }

    /** The service's class-data archive, in its build output: a new package makes it stale. */
    private static ClassDataArchive archive(Path runnerJar) {
        Path app = runnerJar.getParent();
        return new ClassDataArchive(app.resolve("cxr-launcher.jsa"), List.of(app));
    }

    /** Waits until readiness answers 200; fails early with the log tail if the JVM exits. */
    @Override
    public void awaitReady(Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.module() + " exited with code " + process.exitValue()
                        + " during start-up; last lines of " + log + ":\n" + tail(log, 25));
            }
            Optional<HttpResponse<String>> r = readiness(managementUrl(), url());
            if (r.isPresent() && r.get().statusCode() == 200) {
                return;
            }
            last = r.map(x -> "HTTP " + x.statusCode() + " " + x.body()).orElse("not answering");
            sleep(250);
        }
        throw new IllegalStateException(spec.module() + " not ready after " + timeout.toSeconds() + " s (" + last
                + "); last lines of " + log + ":\n" + tail(log, 25));
    }

    /**
     * {@code /q/health/ready} on the management port, or on the public port while nothing listens on
     * the management one (a service without the management interface); empty when neither answers.
     */
    static Optional<HttpResponse<String>> readiness(String managementUrl, String publicUrl) {
        for (String base : new String[] {managementUrl, publicUrl}) {
            if (base == null) {
                continue;
            }
            try {
                return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
            } catch (ConnectException e) {
                // nothing listens there: try the next
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after the grace period. */
    @Override
    public void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        ClassDataArchive.Start cds = currentArchive;
        if (process == current && cds != null && !process.isAlive()) {
            // here too, not only in onExit: the launcher's own JVM may be exiting right after
            archive(spec.runnerJar(repoRoot)).exited(cds, process.exitValue());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The last lines of a log; JSON lines (the services' prod format) as level, message and exception chain. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(ServiceProcess::readable).toList());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String readable(String line) {
        if (!line.startsWith("{")) {
            return line;
        }
        try {
            var j = JSON.readTree(line);
            StringBuilder b = new StringBuilder(j.path("level").asText()).append(' ').append(j.path("message").asText());
            for (var e = j.path("exception"); !e.isMissingNode(); e = e.path("causedBy").path("exception")) {
                b.append("\n    ").append(e.path("exceptionType").asText()).append(": ").append(e.path("message").asText());
            }
            return b.toString();
        } catch (IOException e) {
            return line;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
