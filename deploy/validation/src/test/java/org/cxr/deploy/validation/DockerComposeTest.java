package org.cxr.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** docker-compose.yml, read as data: what `docker compose up` would need to work. */
class DockerComposeTest {
    private static final JsonNode COMPOSE = Yaml.tree("docker-compose.yml");
    private static final JsonNode SERVICES = COMPOSE.path("services");

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
            assertThat(s.path("image").asString()).isEqualTo(svc.image() + ":1.0.0-SNAPSHOT");
        }
    }

    @Test
    void everyServiceGetsTheEnvironmentItNeeds() {
        for (PlatformService svc : PlatformService.ALL) {
            Map<String, String> env = environmentOf(svc.name());
            assertThat(env.keySet()).as(svc.name() + " environment").containsAll(svc.requiredEnvironment());
            env.forEach((k, v) -> assertThat(v).as(svc.name() + " " + k).isNotBlank());
        }
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
                assertThat(Repo.read("deploy/compose/postgres/init-databases.sql"))
                        .contains("CREATE DATABASE " + svc.database() + ";");
            }
        }
    }

    @Test
    void dependsOnTargetsExistAndHealthConditionsHaveAHealthcheck() {
        for (var e : SERVICES.properties()) {
            for (var dep : e.getValue().path("depends_on").properties()) {
                assertThat(SERVICES.has(dep.getKey())).as(e.getKey() + " depends on " + dep.getKey()).isTrue();
                if (dep.getValue().path("condition").asString("").equals("service_healthy")) {
                    assertThat(hasHealthcheck(dep.getKey())).as(dep.getKey() + " healthcheck").isTrue();
                }
            }
        }
    }

    @Test
    void theServicesWaitForHealthyInfrastructure() {
        for (PlatformService svc : PlatformService.ALL) {
            JsonNode deps = SERVICES.path(svc.name()).path("depends_on");
            List<String> needed = new ArrayList<>(List.of("kafka", "minio"));
            if (svc.database() != null) {
                needed.add("postgres");
            }
            for (String infra : needed) {
                assertThat(deps.path(infra).path("condition").asString()).as(svc.name() + " → " + infra)
                        .isEqualTo("service_healthy");
            }
        }
    }

    @Test
    void everyServiceHasAHealthcheckARestartPolicyAndLimits() {
        for (var e : SERVICES.properties()) {
            String name = e.getKey();
            JsonNode s = e.getValue();
            assertThat(hasHealthcheck(name)).as(name + " healthcheck").isTrue();
            assertThat(s.path("restart").asString("")).as(name + " restart").isIn("always", "unless-stopped", "on-failure");
            JsonNode limits = s.path("deploy").path("resources").path("limits");
            assertThat(limits.path("memory").asString("")).as(name + " memory limit").isNotBlank();
            assertThat(limits.path("cpus").asString("")).as(name + " cpu limit").isNotBlank();
        }
    }

    @Test
    void publishedHostPortsDoNotClash() {
        Map<String, String> owner = new HashMap<>();
        for (var e : SERVICES.properties()) {
            for (JsonNode port : e.getValue().path("ports")) {
                String[] parts = port.asString().split(":");
                assertThat(parts.length).as(e.getKey() + " port " + port + " publishes a host port").isGreaterThan(1);
                String hostPort = parts[parts.length - 2];
                String previous = owner.put(hostPort, e.getKey());
                assertThat(previous).as("host port " + hostPort + " of " + e.getKey()).isNull();
            }
        }
    }

    @Test
    void theFourServicesPublishTheirOwnPort() {
        for (PlatformService svc : PlatformService.ALL) {
            assertThat(SERVICES.path(svc.name()).path("ports").get(0).asString())
                    .isEqualTo(svc.port() + ":" + svc.port());
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
            for (JsonNode f : e.getValue().path("env_file")) {
                assertThat(Repo.path(f.asString())).as(e.getKey() + " env_file").isRegularFile();
            }
            if (e.getValue().path("env_file").isString()) {
                assertThat(Repo.path(e.getValue().path("env_file").asString())).isRegularFile();
            }
        }
        assertThat(declared).isEqualTo(used);
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        Optional<java.nio.file.Path> cli = Tools.find("docker-compose");
        assumeTrue(cli.isPresent(), "docker-compose is not installed (Debian package docker-compose): "
                + "skipping `docker-compose config -q`; the file was still checked as data above");
        Tools.Result r = Tools.run(List.of(cli.get().toString(), "-f", "docker-compose.yml", "config", "-q"));
        assertThat(r.exitCode()).as("docker-compose config -q: " + r.stderr()).isZero();
    }

    /** environment + env_file, with `${VAR:-default}` resolved to its default as compose does. */
    static Map<String, String> environmentOf(String service) {
        JsonNode s = SERVICES.path(service);
        Map<String, String> env = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        if (s.path("env_file").isString()) {
            files.add(s.path("env_file").asString());
        }
        s.path("env_file").values().forEach(f -> files.add(f.asString()));
        for (String f : files) {
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

    private static String interpolate(String value) {
        return value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1");
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
