package org.cxr.deploy.validation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Optional command-line tools (kubectl, docker-compose): run when on the PATH. */
final class Tools {
    private Tools() {
    }

    static Optional<Path> find(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs a command in the repository root; fails the test if it does not end within the timeout. */
    static Result run(List<String> command) {
        return run(command, java.util.Map.of());
    }

    /** The same, with these variables added to the environment. */
    static Result run(List<String> command, java.util.Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("cxr-tool", ".out");
            Path err = Files.createTempFile("cxr-tool", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.ROOT.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process p = builder.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(command + " did not finish within 120 s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
