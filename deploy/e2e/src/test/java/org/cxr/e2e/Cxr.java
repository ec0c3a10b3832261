package org.cxr.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./cxr} as a user would (on the already built tree), capturing its output. */
final class Cxr {
    record Result(int exitCode, String output) {
    }

    private Cxr() {
    }

    static Result run(Path repo, Duration timeout, List<String> args) throws Exception {
        return run(repo, timeout, args, java.util.Map.of());
    }

    /** With extra environment variables (e.g. CXR_DATA_DIR, so a CLI finds the platform and its token key). */
    static Result run(Path repo, Duration timeout, List<String> args, java.util.Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("cxr").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("CXR_NO_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                    System.out.print(s);
                    synchronized (out) {
                        out.append(s);
                    }
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./cxr " + args + " did not finish within " + timeout + ":\n" + out);
        }
        reader.join(5000);
        synchronized (out) {
            return new Result(p.exitValue(), out.toString());
        }
    }
}
