package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** docker-compose.yml, read as data: what `docker compose up` would need to work, and what it may expose. */
class DockerComposeTest {
    private static final JsonNode COMPOSE = Yaml.tree("docker-compose.yml");
    private static final JsonNode SERVICES = COMPOSE.path("services");

    /** The services a person reaches from the host; everything else stays inside the compose network. */
    static final Set<String> GATEWAYS = Set.of("ingest-service", "catalog-service", "keycloak", "grafana", "jaeger");

    /** `${NAME:?message}`: a value compose refuses to start without. */
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Za-z0-9_]+):\\?[^}]*}");
    /** An environment variable that carries a credential. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|JAAS|ACCESS_KEY|ROOT_USER).*");
    private static final String LOOPBACK_UNLESS_CONFIGURED = "${CXR_BIND_ADDRESS:-127.0.0.1}:";

    @Test
    void hasNoTopLevelNameBecauseDockerCompose129RejectsIt() {
        assertThat(COMPOSE.has("name")).isFalse();
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseDockerfileExists() {
        for (var e : SERVICES.properties()) {
            JsonNode s = e.getValue();
            assertThat(s.has("image") || s.has("build")).as(e.getKey() + " has image or build").isTrue();
            if (s.has("build")) {
                var context = Repo.path(s.path("build").path("context").asString());
                assertThat(context).as(e.getKey() + " build context").isDirectory();
                assertThat(context.resolve(s.path("build").path("dockerfile").asString("Dockerfile")))
                        .as(e.getKey() + " Dockerfile").isRegularFile();
            }
        }
    }

    @Test
    void theFourServicesAreBuiltFromTheirDockerfileAndTaggedAsKubernetesExpects() {
        for (PlatformService svc : PlatformService.ALL) {
            JsonNode s = SERVICES.path(svc.name());
            assertThat(s.path("build").path("context").asString()).isEqualTo("./" + svc.name());
            assertThat(s.path("build").path("dockerfile").asString()).isEqualTo("src/main/docker/Dockerfile.jvm");
            assertThat(s.path("image").asString()).isEqualTo("cxr/" + svc.name() + ":1.0.0-SNAPSHOT");
        }
    }

    @Test
    void everyServiceGetsTheEnvironmentItNeeds() {
        for (PlatformService svc : PlatformService.ALL) {
            Map<String, String> env = environmentOf(svc.name());
            assertThat(env.keySet()).as(svc.name() + " environment").containsAll(svc.requiredEnvironment());
            env.forEach((k, v) -> assertThat(v).as(svc.name() + " " + k).isNotBlank());
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).startsWith("SASL_");
            assertThat(env.get("KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
            if (svc.consumes()) {
                assertThat(env.get("KAFKA_SESSION_TIMEOUT_MS")).as(svc.name() + " session timeout")
                        .isEqualTo(PlatformService.SESSION_TIMEOUT_MS);
            }
        }
        assertThat(environmentOf("ingest-service")).containsKeys("CXR_INGEST_DROP_FOLDER", "CXR_INGEST_DIMSE_PORT",
                "CXR_INGEST_HL7_PORT");
    }

    /** Each service is its own Kafka principal, MinIO user and database role: no credential is shared. */
    @Test
    void eachServiceHasItsOwnCredentials() {
        Set<String> s3Keys = new TreeSet<>();
        Set<String> kafkaPasswords = new TreeSet<>();
        for (PlatformService svc : PlatformService.ALL) {
            JsonNode env = SERVICES.path(svc.name()).path("environment");
            String jaas = env.path("KAFKA_SASL_JAAS_CONFIG").asString();
            assertThat(jaas).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + svc.name() + "\" password=\"${");
            assertThat(Tables.principals()).containsKey(svc.name());
            kafkaPasswords.add(requiredVariables(jaas).toString());
            s3Keys.add(env.path("CXR_S3_ACCESS_KEY").asString());
            if (svc.database() != null) {
                assertThat(env.path("QUARKUS_DATASOURCE_USERNAME").asString()).isEqualTo("cxr_" + svc.database());
            }
        }
        assertThat(s3Keys).hasSize(4);
        assertThat(kafkaPasswords).hasSize(4);
    }

    /** Nothing shipped is a working secret: every credential is a required variable from .env. */
    @Test
    void noCredentialHasADefaultAndTheGeneratorProvidesEveryOne() throws IOException {
        Set<String> required = new TreeSet<>();
        for (var s : SERVICES.properties()) {
            for (var e : s.getValue().path("environment").properties()) {
                String value = e.getValue().asString();
                if (SECRET_NAME.matcher(e.getKey()).matches()) {
                    assertThat(requiredVariables(value)).as(s.getKey() + " " + e.getKey() + " comes from .env").isNotEmpty();
                    assertThat(value).as(s.getKey() + " " + e.getKey() + " has no default").doesNotContain(":-");
                }
                required.addAll(requiredVariables(value));
            }
        }
        Map<String, String> generated = generatedEnv();
        assertThat(generated.keySet()).containsAll(required);
        generated.forEach((k, v) -> assertThat(v).as(k).matches("[A-Za-z0-9]{20,}"));
    }

    @Test
    void endpointsInTheEnvironmentPointAtServicesOfThisFile() {
        for (PlatformService svc : PlatformService.ALL) {
            Map<String, String> env = environmentOf(svc.name());
            for (String broker : env.get("KAFKA_BOOTSTRAP_SERVERS").split(",")) {
                assertHostIsService(svc, broker.substring(0, broker.indexOf(':')));
            }
            assertHostIsService(svc, URI.create(env.get("CXR_S3_ENDPOINT")).getHost());
            if (svc.database() != null) {
                URI jdbc = URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
                assertHostIsService(svc, jdbc.getHost());
                assertThat(jdbc.getPath()).isEqualTo("/" + svc.database());
                assertThat(Repo.read("deploy/compose/postgres/init-databases.sh"))
                        .contains("CREATE DATABASE " + svc.database() + " OWNER cxr_" + svc.database() + ";");
            }
            if (svc.api()) {
                assertHostIsService(svc, URI.create(env.get("QUARKUS_OIDC_AUTH_SERVER_URL")).getHost());
                assertThat(env.get("QUARKUS_OIDC_TOKEN_AUDIENCE")).isEqualTo("cxr");
                assertThat(env.get("QUARKUS_OIDC_TOKEN_ISSUER")).isEqualTo(
                        environmentOf("keycloak").get("KC_HOSTNAME") + "/realms/cxr");
            }
        }
    }

    @Test
    void dependsOnTargetsExistAndConditionsMatchTheTarget() {
        for (var e : SERVICES.properties()) {
            for (var dep : e.getValue().path("depends_on").properties()) {
                assertThat(SERVICES.has(dep.getKey())).as(e.getKey() + " depends on " + dep.getKey()).isTrue();
                switch (dep.getValue().path("condition").asString("")) {
                    case "service_healthy" -> assertThat(hasHealthcheck(dep.getKey())).as(dep.getKey() + " healthcheck").isTrue();
                    case "service_completed_successfully" -> assertThat(isOneShot(dep.getKey())).as(dep.getKey() + " one-shot").isTrue();
                    default -> throw new AssertionError(e.getKey() + " → " + dep.getKey() + ": wait for health or completion");
                }
            }
        }
    }

    @Test
    void theServicesWaitForTheirUsersAclsAndRoles() {
        for (PlatformService svc : PlatformService.ALL) {
            JsonNode deps = SERVICES.path(svc.name()).path("depends_on");
            assertThat(deps.path("kafka-init").path("condition").asString()).isEqualTo("service_completed_successfully");
            assertThat(deps.path("minio-init").path("condition").asString()).isEqualTo("service_completed_successfully");
            if (svc.database() != null) {
                assertThat(deps.path("postgres").path("condition").asString()).isEqualTo("service_healthy");
            }
            if (svc.api()) {
                assertThat(deps.path("keycloak").path("condition").asString()).isEqualTo("service_healthy");
            }
        }
    }

    @Test
    void longRunningServicesHaveAHealthcheckARestartPolicyAndLimits() {
        for (var e : SERVICES.properties()) {
            String name = e.getKey();
            JsonNode s = e.getValue();
            if (isOneShot(name)) {
                assertThat(s.has("healthcheck")).as(name + " (one-shot) has no healthcheck").isFalse();
            } else {
                assertThat(hasHealthcheck(name)).as(name + " healthcheck").isTrue();
                assertThat(s.path("restart").asString("")).as(name + " restart").isIn("always", "unless-stopped", "on-failure");
            }
            JsonNode limits = s.path("deploy").path("resources").path("limits");
            assertThat(limits.path("memory").asString("")).as(name + " memory limit").isNotBlank();
            assertThat(limits.path("cpus").asString("")).as(name + " cpu limit").isNotBlank();
        }
    }

    @Test
    void theServicesHealthchecksUseTheManagementPort() {
        for (PlatformService svc : PlatformService.ALL) {
            assertThat(SERVICES.path(svc.name()).path("healthcheck").path("test").values()).extracting(JsonNode::asString)
                    .contains("http://127.0.0.1:" + PlatformService.MANAGEMENT_PORT + "/q/health/ready");
        }
    }

    /** Only the gateways publish ports, each on loopback unless CXR_BIND_ADDRESS says otherwise. */
    @Test
    void onlyTheGatewaysArePublishedOnLoopbackUnlessConfigured() {
        Map<String, String> owner = new HashMap<>();
        for (var e : SERVICES.properties()) {
            JsonNode ports = e.getValue().path("ports");
            if (!ports.isEmpty()) {
                assertThat(GATEWAYS).as(e.getKey() + " publishes ports").contains(e.getKey());
            }
            for (JsonNode port : ports) {
                String spec = port.asString();
                assertThat(spec).as(e.getKey() + " " + spec).startsWith(LOOPBACK_UNLESS_CONFIGURED);
                String[] parts = spec.substring(LOOPBACK_UNLESS_CONFIGURED.length()).split(":");
                assertThat(parts).as(e.getKey() + " " + spec + " is host:container").hasSize(2);
                assertThat(owner.put(parts[0], e.getKey())).as("host port " + parts[0] + " of " + e.getKey()).isNull();
            }
        }
        assertThat(portsOf("ingest-service")).containsExactly("8081", "11112", "2575");
        assertThat(portsOf("catalog-service")).containsExactly("8084");
        for (String inner : List.of("convert-service", "label-service", "kafka", "minio", "postgres", "prometheus")) {
            assertThat(SERVICES.path(inner).path("ports").isEmpty()).as(inner + " is not published").isTrue();
        }
    }

    @Test
    void namedVolumesAreDeclaredAndBindMountsExist() {
        Set<String> declared = new TreeSet<>(COMPOSE.path("volumes").propertyNames());
        Set<String> used = new TreeSet<>();
        for (var e : SERVICES.properties()) {
            for (JsonNode v : e.getValue().path("volumes")) {
                String source = v.asString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(Repo.path(source)).as(e.getKey() + " bind mount").exists();
                } else {
                    used.add(source);
                }
            }
            for (String f : envFiles(e.getValue())) {
                assertThat(Repo.path(f)).as(e.getKey() + " env_file").isRegularFile();
            }
        }
        assertThat(declared).isEqualTo(used);
    }

    /**
     * docker-compose itself: it refuses the file without the secrets, accepts it with what
     * generate-env.sh writes, and then publishes nothing beyond 127.0.0.1.
     */
    @Test
    void dockerComposeRefusesToStartWithoutSecretsAndBindsLoopbackOnly() throws IOException {
        Optional<Path> cli = Tools.find("docker-compose");
        assumeTrue(cli.isPresent(), "docker-compose is not installed (Debian package docker-compose): "
                + "skipping `docker-compose config`; the file was still checked as data above");
        Path empty = Files.createTempFile("cxr-compose", ".env");
        Path env = Files.createTempFile("cxr-compose", ".env");
        try {
            Tools.Result refused = Tools.run(List.of(cli.get().toString(), "--env-file", empty.toString(), "-f",
                    "docker-compose.yml", "config", "-q"));
            assertThat(refused.exitCode()).as("without secrets").isNotZero();
            assertThat(refused.stderr()).contains("generate-env.sh");
            Tools.Result generated = Tools.run(List.of("bash", "deploy/compose/generate-env.sh", env.toString()));
            assertThat(generated.exitCode()).as(generated.stderr()).isZero();
            Tools.Result r = Tools.run(List.of(cli.get().toString(), "--env-file", env.toString(), "-f",
                    "docker-compose.yml", "config"));
            assertThat(r.exitCode()).as("docker-compose config: " + r.stderr()).isZero();
            List<String> published = new ArrayList<>();
            for (JsonNode s : Yaml.MAPPER.readTree(r.stdout()).path("services")) {
                s.path("ports").values().forEach(p -> published.add(p.isString() ? p.asString() : p.path("host_ip").asString()));
            }
            assertThat(published).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("127.0.0.1"));
        } finally {
            Files.deleteIfExists(empty);
            Files.deleteIfExists(env);
        }
    }

    /** environment + env_file, with `${VAR:-default}` resolved to its default and `${VAR:?...}` to a marker. */
    static Map<String, String> environmentOf(String service) {
        JsonNode s = SERVICES.path(service);
        Map<String, String> env = new LinkedHashMap<>();
        for (String f : envFiles(s)) {
            for (String line : Repo.read(f).split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
                }
            }
        }
        s.path("environment").properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asString())));
        return env;
    }

    static List<String> volumesOf(String service) {
        List<String> volumes = new ArrayList<>();
        SERVICES.path(service).path("volumes").values().forEach(v -> volumes.add(v.asString()));
        return volumes;
    }

    private static List<String> portsOf(String service) {
        List<String> ports = new ArrayList<>();
        SERVICES.path(service).path("ports").values()
                .forEach(p -> ports.add(p.asString().substring(p.asString().lastIndexOf(':') + 1)));
        return ports;
    }

    private static List<String> envFiles(JsonNode service) {
        List<String> files = new ArrayList<>();
        if (service.path("env_file").isString()) {
            files.add(service.path("env_file").asString());
        }
        service.path("env_file").values().forEach(f -> files.add(f.asString()));
        return files;
    }

    private static Set<String> requiredVariables(String value) {
        Set<String> names = new TreeSet<>();
        Matcher m = REQUIRED.matcher(value);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** What deploy/compose/generate-env.sh writes, parsed. */
    private static Map<String, String> generatedEnv() throws IOException {
        Path file = Files.createTempFile("cxr-compose", ".env");
        try {
            Files.delete(file);
            Tools.Result r = Tools.run(List.of("bash", "deploy/compose/generate-env.sh", file.toString()));
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
            return env;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String interpolate(String value) {
        return value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1")
                .replaceAll("\\$\\{([A-Za-z0-9_]+):\\?[^}]*}", "<$1 from .env>");
    }

    private static boolean isOneShot(String service) {
        return SERVICES.path(service).path("restart").asString("").equals("no");
    }

    private static boolean hasHealthcheck(String service) {
        JsonNode s = SERVICES.path(service);
        if (s.has("healthcheck")) {
            return !s.path("healthcheck").path("disable").asBoolean(false);
        }
        // A built image may bring its own HEALTHCHECK.
        if (s.has("build")) {
            String dockerfile = s.path("build").path("context").asString() + "/"
                    + s.path("build").path("dockerfile").asString("Dockerfile");
            return Files.isRegularFile(Repo.path(dockerfile)) && Repo.read(dockerfile).contains("\nHEALTHCHECK ");
        }
        return false;
    }

    private static void assertHostIsService(PlatformService svc, String host) {
        assertThat(SERVICES.has(host)).as(svc.name() + " points at " + host + ", a service of docker-compose.yml").isTrue();
    }
}
