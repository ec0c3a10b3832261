package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cxr.local.infra.LocalClasspath;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A packaged service (prod profile) refuses to start with a secret this repository ships, and says
 * which setting without echoing the value. Needs no platform: the guard runs before anything connects.
 */
@Order(10)
class ProdSecretsIT {
    @Test
    void aServiceWithTheShippedS3SecretDoesNotStart() throws Exception {
        Path repo = LocalClasspath.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", repo.resolve("label-service/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("CXR_S3_SECRET_KEY", "minioadmin",
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9", "CXR_S3_ENDPOINT", "http://127.0.0.1:9",
                "QUARKUS_HTTP_PORT", "0", "QUARKUS_MANAGEMENT_PORT", "0", "QUARKUS_LOG_CONSOLE_JSON", "false"));
        Process p = pb.start();
        p.getOutputStream().close();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("refusing to start").contains("cxr.s3.secret.key is a default that this repository ships");
        assertThat(out.lines().filter(l -> l.contains("refusing to start")).toList())
                .allSatisfy(l -> assertThat(l).doesNotContain("minioadmin"));
        assertThat(List.of(out)).noneMatch(o -> o.contains("Listening on"));
    }
}
