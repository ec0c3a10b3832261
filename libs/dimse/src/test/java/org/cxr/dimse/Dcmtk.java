package org.cxr.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs dcmtk's command-line peers (Debian package {@code dcmtk}; {@code .ci/run} installs it) with
 * verbose logging; the output of every run is kept under {@code target/dcmtk-logs/} as evidence
 * and quoted in assertion messages.
 */
final class Dcmtk {
    static final Path LOGS = Path.of("target", "dcmtk-logs");

    private Dcmtk() {
    }

    /** Skips the calling test when dcmtk is not installed. */
    static void require() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")),
                "SKIPPED: dcmtk is not installed (apt-get install dcmtk); the DIMSE peer tests need storescu, echoscu, dcmsend");
    }

    record Run(int exitCode, String output, Path log) {
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", log " + log + ":\n" + output;
        }
    }

    static Run run(String name, String... command) throws IOException, InterruptedException {
        return run(name, 60, List.of(command));
    }

    static Run run(String name, int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = start(name, command);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return finished(name, p);
    }

    static Process start(String name, List<String> command) throws IOException {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(command);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static Run finished(String name, Process p) throws IOException {
        Path log = LOGS.resolve(name + ".log");
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1), log);
    }
}
