package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.InfraProcess;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.launcher.ServiceProcess;
import org.cxr.local.launcher.ServiceSpec;
import org.cxr.security.Jwt;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The test servers generate their credentials per run, so a packaged service (prod profile, whose
 * {@code SecretsGuard} refuses every secret the repository ships) starts against them with nothing
 * but their endpoints — what a {@code @QuarkusIntegrationTest} or a benchmark of a packaged service needs.
 */
@Order(20)
class PackagedServiceOnTestServersIT {
    @Test
    void thePackagedLabelServiceBecomesReadyOnTheTestServers() throws Exception {
        Path repo = LocalClasspath.repoRoot();
        ServiceSpec label = ServiceSpec.ALL.stream().filter(s -> s.name().equals("label")).findFirst().orElseThrow();
        Path logs = Files.createTempDirectory("cxr-packaged-");
        try (InfraProcess infra = InfraProcess.startTemporary()) {
            Endpoints e = infra.endpoints();
            assertThat(e.s3SecretKey()).hasSizeGreaterThanOrEqualTo(32).doesNotContain("cxr-local");
            assertThat(e.dbPassword()).hasSizeGreaterThanOrEqualTo(32);
            Map<String, String> env = new java.util.HashMap<>(e.environment(null));
            env.put("QUARKUS_LOG_CONSOLE_JSON", "false");
            // tokens as the modules' tests sign them (TestTokens): the prod profile verifies with a public key
            env.put("QUARKUS_OIDC_PUBLIC_KEY", TestTokens.PUBLIC_KEY);
            env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.LOCAL_ISSUER);
            env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Jwt.LOCAL_AUDIENCE);
            try (ServiceProcess service = ServiceProcess.start(label, repo, FreePorts.pick(0), env, logs)) {
                service.awaitReady(Duration.ofMinutes(2));
                assertThat(service.alive()).isTrue();
            }
        } finally {
            InfraProcess.deleteTree(logs);
        }
    }
}
