package org.cxr.local.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM running one of this module's server mains ({@link InfraMain}, {@link ServerMain}) on
 * the servers' own classpath (their jars never meet a service's). It prints one
 * {@code <marker> <payload>} line on stdout when ready and stops when its stdin closes, so it never
 * outlives the JVM that started it.
 */
public final class ServerJvm {
    private ServerJvm() {
    }

    /** Short-lived test servers start faster with the client compiler only and the serial collector. */
    public static final List<String> QUICK_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /**
     * The platform's JVMs (services, broker, S3 server) on 2 shared cores: the serial collector. G1
     * puts every multi-MB array (a DICOM in ingest, S3Proxy and convert) in humongous regions, and
     * each such allocation started a concurrent cycle - about 8 CPU-seconds of GC threads per
     * 241-image import (docs/benchmarks.md "Whole platform vs the converter").
     */
    public static final List<String> PLATFORM = List.of("-XX:+UseSerialGC");

    /**
     * The platform's JVMs that run with the client compiler only: their work is small and spread over
     * many methods, so C2 compiled for longer than its code saved - in the 241-image import the
     * broker, catalog and label took half the CPU-seconds with C1 alone, on a fresh platform and on
     * a warm one. Ingest, convert and the S3 server keep C2: its SHA-256/MD5 intrinsics hash at
     * 1.5 GB/s where C1's code does 0.17 (docs/benchmarks.md "Whole platform vs the converter").
     */
    static final Set<String> CLIENT_COMPILER_ONLY = Set.of("kafka", "catalog", "label");

    /**
     * Heap options of the services that allocate a multi-MB array per image (ingest, convert). The
     * serial collector otherwise stays near its initial heap (1/64 of the machine's memory), with a
     * ~100 MB young generation that filled every few images and copied the conversions in flight
     * into the old one: convert made 399 young and 53 full collections over two imports (2.5-3.5
     * CPU-s of GC per import). With a young generation of a third of its heap from the start (its
     * size at a full heap) it makes about 95 and 3 (0.4-0.5 CPU-s) and peaks at 1.0 GB resident;
     * its whole heap from the start did the same at 1.65 GB. Ingest (512 MB) gets its whole heap.
     */
    public static List<String> heapOptions(String name, String maxHeap) {
        long mb = megabytes(maxHeap);
        return switch (name) {
            case "ingest" -> List.of("-Xms" + mb + "m");
            case "convert" -> List.of("-Xms" + mb / 2 + "m", "-Xmn" + mb / 3 + "m");
            default -> List.of();
        };
    }

    private static long megabytes(String size) {
        long n = Long.parseLong(size.substring(0, size.length() - 1));
        return switch (Character.toLowerCase(size.charAt(size.length() - 1))) {
            case 'g' -> n * 1024;
            case 'm' -> n;
            default -> throw new IllegalArgumentException("heap size in m or g: " + size);
        };
    }

    /**
     * The JVM options of the platform's process {@code name} (kafka, s3, ingest, convert, label,
     * catalog): {@link #PLATFORM}, C1 only for {@link #CLIENT_COMPILER_ONLY}, then the words of the
     * environment variable {@code CXR_JVM_OPTS_<NAME>} (e.g. {@code CXR_JVM_OPTS_CATALOG}), which win
     * over them ({@code -XX:TieredStopAtLevel=4} gives one C2 back).
     */
    public static List<String> platformOptions(String name, Map<String, String> env) {
        List<String> options = new ArrayList<>(PLATFORM);
        if (CLIENT_COMPILER_ONLY.contains(name)) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        String extra = env.get("CXR_JVM_OPTS_" + name.toUpperCase(Locale.ROOT));
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return List.copyOf(options);
    }

    /** Starts {@code mainClass args} with the given heap; stdout is read by {@link #awaitReady}. */
    public static Process launch(Class<?> mainClass, String maxHeap, String label, List<String> args,
            ProcessBuilder.Redirect stderr) {
        return launch(mainClass, maxHeap, List.of(), label, args, stderr);
    }

    /** The same with more JVM options (e.g. {@link #QUICK_START}). */
    public static Process launch(Class<?> mainClass, String maxHeap, List<String> jvmOptions, String label,
            List<String> args, ProcessBuilder.Redirect stderr) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + maxHeap);
        cmd.addAll(jvmOptions);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Dcxr.launcher.service=" + label); // lets `ps` and `./cxr down` recognise our JVMs
        cmd.add("-cp");
        cmd.add(LocalClasspath.infraClasspath());
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        try {
            return new ProcessBuilder(cmd).redirectError(stderr).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass.getSimpleName(), e);
        }
    }

    /**
     * Waits for the ready line and returns its payload; every other line (before and after) goes to
     * {@code lines}. Fails when the JVM exits first or the timeout passes (the JVM is then killed).
     */
    public static String awaitReady(Process p, String marker, Duration timeout, Consumer<String> lines) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (!ready.isDone() && line.startsWith(marker)) {
                        ready.complete(line.substring(marker.length()));
                    } else {
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.complete(null);
        }, "server-jvm-stdout-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            String payload = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (payload == null) {
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the server JVM exited before it was ready (exit "
                        + (p.isAlive() ? "?" : p.exitValue()) + ")");
            }
            return payload;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(p);
            throw new IllegalStateException("interrupted while waiting for a server JVM", e);
        } catch (IllegalStateException e) {
            destroy(p);
            throw e;
        } catch (Exception e) {
            destroy(p); // never leave a half-started server behind (it would keep the build waiting)
            throw new IllegalStateException("the server JVM did not become ready within " + timeout + ": " + e, e);
        }
    }

    /** Closes its stdin (it stops its servers and exits), then SIGTERM and SIGKILL if it lingers. */
    public static void stop(Process p, Duration grace) {
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    destroy(p);
                }
            }
        } catch (IOException e) {
            destroy(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(p);
        }
    }

    static void destroy(Process p) {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Blocks until stdin closes (the parent went away or asked us to stop). */
    static void waitForEof(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the parent never writes; we only wait for it to close the pipe
            }
        } catch (IOException e) {
            // pipe broken: the parent is gone
        }
    }
}
