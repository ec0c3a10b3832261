package org.cxr.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The production guard refuses every default the repository ships and short secrets, and nothing else. */
class ShippedSecretsTest {
    static final String GENERATED = "q7Vb1mKx0yR2nT8wZ4cL6pE9sA3dF5gH";

    @Test
    void refusesShippedDefaultsAndShortSecretsByName() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cxr.s3.secret.key", "minioadmin");
        s.put("quarkus.datasource.password", "postgres");
        s.put("QUARKUS_DATASOURCE_PASSWORD", "cxr");
        s.put("cxr.ingest.id.secret", "local-dev-only-id-secret-change-me");
        s.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"convert-service\" password=\"short\";");
        s.put("quarkus.oidc.credentials.secret", GENERATED);
        assertThat(ShippedSecrets.problems(s)).containsExactly(
                "cxr.s3.secret.key is a default that this repository ships",
                "quarkus.datasource.password is a default that this repository ships",
                "QUARKUS_DATASOURCE_PASSWORD is a default that this repository ships",
                "cxr.ingest.id.secret is a default that this repository ships",
                "kafka.sasl.jaas.config is shorter than 16 characters")
                .noneMatch(p -> p.contains("minioadmin") || p.contains("short\""));
        assertThat(ShippedSecrets.problems(Map.of("kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"x\" password=\""
                        + GENERATED + "\";"))).isEmpty();
    }

    @Test
    void knowsWhichSettingsAreSecrets() {
        assertThat(Stream.of("QUARKUS_DATASOURCE_PASSWORD", "cxr.s3.secret-key", "CXR_INGEST_ID_SECRET",
                "quarkus.oidc.credentials.secret", "KAFKA_SASL_JAAS_CONFIG", "quarkus.datasource.\"audit\".password",
                "quarkus.oidc.credentials.client-secret.value")).allMatch(ShippedSecrets::isSecretName);
        assertThat(Stream.of("quarkus.oidc.public-key", "cxr.s3.access-key", "kafka.sasl.mechanism",
                "quarkus.datasource.username", "quarkus.http.auth.form.password.parameter",
                "AWS_SECRET_ACCESS_KEY", "HOME"))
                .noneMatch(ShippedSecrets::isSecretName);
    }

    /**
     * Every secret-looking default in the repository's deployment files is one the guard refuses
     * (a new default added later without extending the list fails here).
     */
    @Test
    void everyDefaultSecretInTheRepositoryIsKnown() throws IOException {
        Path root = Path.of(System.getProperty("cxr.repo.root", "../.."));
        Pattern composeDefault = Pattern.compile("\\$\\{(?:CXR_S3_SECRET_KEY|CXR_S3_ACCESS_KEY|CXR_DB_PASSWORD|"
                + "CXR_INGEST_ID_SECRET|GRAFANA_ADMIN_PASSWORD|[A-Z_]*PASSWORD|[A-Z_]*SECRET[A-Z_]*):-([^}]*)}");
        Pattern kustomize = Pattern.compile("-\\s*(?:secret-key|access-key|db-password|id-secret|[a-z-]*password)=(\\S+)");
        Map<String, String> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/target/")
                    && !p.toString().contains("/.git/") && !p.toString().contains("/rendered/")
                    && p.toString().matches(".*\\.(ya?ml|env|properties)$")).toList()) {
                String text = Files.readString(f);
                for (Pattern p : new Pattern[] {composeDefault, kustomize}) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        found.put(root.relativize(f) + ": " + m.group(), m.group(1));
                    }
                }
                Matcher prop = Pattern.compile("(?m)^(?!%test|%dev)([a-z.\\-]*(?:password|secret)[a-z.\\-]*)=(?:\\$\\{[A-Z_]+:)?([^}\\s]+)")
                        .matcher(text);
                while (prop.find()) {
                    found.put(root.relativize(f) + ": " + prop.group(1), prop.group(2));
                }
            }
        }
        found.forEach((where, value) -> assertThat(ShippedSecrets.problems(Map.of("x.password", value)))
                .as(where).isNotEmpty());
    }

    @Test
    void readsTheSecretsOfTheConfigurationWhateverTheirSpelling() {
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.password", "postgres",
                "%test.quarkus.datasource.password", "x",
                "cxr.ingest.id-secret", GENERATED,
                "quarkus.http.port", "8081"), "test", 100)).build();
        Map<String, String> secrets = SecretsGuard.secrets(config, new FixedS3("minioadmin"));
        assertThat(secrets).containsOnlyKeys("cxr.s3.secret.key", "quarkus.datasource.password", "cxr.ingest.id.secret");
        assertThat(ShippedSecrets.problems(secrets)).hasSize(2);
    }

    record FixedS3(String secretKey) implements org.cxr.platform.storage.S3Config {
        @Override
        public String endpoint() {
            return "http://localhost:9000";
        }

        @Override
        public String accessKey() {
            return "cxr";
        }

        @Override
        public java.time.Duration connectTimeout() {
            return java.time.Duration.ofSeconds(5);
        }

        @Override
        public java.time.Duration readTimeout() {
            return java.time.Duration.ofSeconds(5);
        }

        @Override
        public java.time.Duration writeTimeout() {
            return java.time.Duration.ofSeconds(5);
        }
    }
}
