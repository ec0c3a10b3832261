package org.cxr.ingest.dimse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** dcmtk's storescu/echoscu against the service's SCP; their verbose output is kept in target/dcmtk-logs/ingest-*.log. */
public final class Peers {
    private Peers() {
    }

    public record Result(int exit, String log) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + log;
        }
    }

    public static void requireDcmtk() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")),
                "SKIPPED: dcmtk is not installed (apt-get install dcmtk); DICOM intake tests need storescu and echoscu");
    }

    public static Result storescu(String name, int port, String callingAe, List<Path> files, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aec", "CXR_INGEST", "-aet", callingAe, "-nh"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(name, cmd);
    }

    public static Result echoscu(String name, int port, String callingAe) throws IOException, InterruptedException {
        return run(name, List.of("echoscu", "-v", "-aec", "CXR_INGEST", "-aet", callingAe, "127.0.0.1", String.valueOf(port)));
    }

    private static Result run(String name, List<String> cmd) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "dcmtk-logs"));
        Path log = dir.resolve("ingest-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }
}
