package org.cxr.local.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts {@link InfraMain} in a child JVM (its own classpath: the servers' jars never meet a
 * service's classpath), waits for its endpoints and stops it. Used by the Quarkus test resource.
 */
public final class InfraProcess implements AutoCloseable {
    private final Process process;
    private final Endpoints endpoints;
    private final Path dataDir;
    private final boolean deleteDataDir;

    private InfraProcess(Process process, Endpoints endpoints, Path dataDir, boolean deleteDataDir) {
        this.process = process;
        this.endpoints = endpoints;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
    }

    /** Starts infrastructure with a fresh temporary data directory that is deleted on close. */
    public static InfraProcess startTemporary() {
        try {
            return start(Files.createTempDirectory("cxr-infra-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InfraProcess start(Path dataDir, boolean deleteDataDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(LocalClasspath.infraClasspath());
        cmd.add(InfraMain.class.getName());
        cmd.add(dataDir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = null;
        try {
            p = pb.start();
            Process started = p;
            BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith(InfraMain.READY)) {
                            return line.substring(InfraMain.READY.length());
                        }
                        System.out.println("[infra] " + line);
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            String json = ready.get(300, TimeUnit.SECONDS);
            if (json == null) {
                p.destroyForcibly();
                throw new IllegalStateException("infra JVM exited before it was ready (exit "
                        + p.waitFor() + "); see its log above");
            }
            Endpoints endpoints = new ObjectMapper().readValue(json, Endpoints.class);
            Thread drain = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        System.out.println("[infra] " + line);
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "infra-stdout");
            drain.setDaemon(true);
            drain.start();
            return new InfraProcess(p, endpoints, dataDir, deleteDataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the infra JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(p);
            throw new IllegalStateException(e);
        } catch (Exception e) {
            destroy(p); // never leave a half-started infra JVM behind (it would keep the build waiting)
            throw new IllegalStateException("infra JVM did not become ready: " + e, e);
        }
    }

    private static void destroy(Process p) {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // EOF on its stdin: it stops its servers and exits
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (deleteDataDir) {
            deleteTree(dataDir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort for a temporary directory
        }
    }
}
