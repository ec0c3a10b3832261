package org.cxr.ingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends benchmark figures, with the machine's load, to target/benchmarks/ingest.txt and stdout. */
final class BenchReport {
    private BenchReport() {
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void write(String name, String line) {
        String out = Instant.now() + " " + name + ": " + line + " [loadavg " + load() + ", "
                + Runtime.getRuntime().availableProcessors() + " cpus]\n";
        System.out.print("[bench] " + out);
        try {
            Path f = Path.of("target/benchmarks/ingest.txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
