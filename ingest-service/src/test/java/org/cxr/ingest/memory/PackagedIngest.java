package org.cxr.ingest.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cxr.events.Buckets;
import org.cxr.events.Topics;
import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.InfraProcess;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.launcher.ServiceProcess;
import org.cxr.local.launcher.ServiceSpec;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.security.Jwt;
import org.cxr.testing.TopicTap;
import org.cxr.testing.auth.TestTokens;

/**
 * The packaged ingest ({@code target/quarkus-app/quarkus-run.jar}, prod profile) in a child JVM
 * started as the launcher starts it ({@code -Xmx512m -XX:+ExitOnOutOfMemoryError}), on temporary
 * real test servers, with the test key trusted: what the memory tests send their bodies to. Its
 * log is kept as {@code target/bounded-memory-ingest.log} for a failure's diagnosis.
 */
final class PackagedIngest implements AutoCloseable {
    final Endpoints endpoints;
    final ObjectStore store;
    /** What the service announced on the instance-received topic since it started. */
    final TopicTap<String> received;
    /** Its temporary directory (spool files), a folder of its own to find any left behind. */
    final Path tmp;
    /** As uploaders send (curl -T, the importer): HTTP/1.1, no h2c upgrade. */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The child, and its pid as started (a restart would change it). */
    final ServiceProcess service;
    final long pid;
    private final InfraProcess infra;
    private final Path work;

    private PackagedIngest(InfraProcess infra, Path work, ServiceSpec spec) throws IOException {
        this.infra = infra;
        this.work = work;
        this.endpoints = infra.endpoints();
        this.store = new ObjectStore(endpoints.s3Endpoint(), endpoints.s3AccessKey(), endpoints.s3SecretKey());
        this.tmp = Files.createDirectories(work.resolve("tmp"));
        this.received = TopicTap.start(endpoints.kafkaBootstrap(), "memory-it", List.of(Topics.INSTANCE_RECEIVED),
                (topic, key, value, headers) -> value);
        // what the deployment creates before ingest starts (its MinIO policy lets it check, not create)
        store.ensureBucket(Buckets.RAW);
        store.ensureBucket(Buckets.REPORTS);
        Map<String, String> env = new HashMap<>(endpoints.environment("ingest"));
        env.put("QUARKUS_LOG_CONSOLE_JSON", "false");
        env.put("QUARKUS_OIDC_PUBLIC_KEY", TestTokens.PUBLIC_KEY);
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.LOCAL_ISSUER);
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Jwt.LOCAL_AUDIENCE);
        env.put("CXR_INGEST_ID_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        this.service = ServiceProcess.start(spec, LocalClasspath.repoRoot(), FreePorts.pick(0), env, work);
        try {
            service.awaitReady(Duration.ofMinutes(3));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        this.pid = service.pid();
    }

    static PackagedIngest start() throws IOException {
        ServiceSpec spec = ServiceSpec.ALL.stream().filter(s -> s.name().equals("ingest")).findFirst().orElseThrow();
        assertThat(spec.maxHeap()).isEqualTo("512m");
        InfraProcess infra = InfraProcess.startTemporary();
        Path work = Files.createTempDirectory("cxr-memory-");
        PackagedIngest ingest;
        try {
            ingest = new PackagedIngest(infra, work, spec);
        } catch (IOException | RuntimeException | Error e) {
            infra.close();
            InfraProcess.deleteTree(work);
            throw e;
        }
        try {
            assertThat(ProcessHandle.of(ingest.pid).orElseThrow().info().arguments().map(List::of).orElse(List.of()))
                    .as("started as the launcher starts it").contains("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
        } catch (AssertionError e) {
            ingest.close();
            throw e;
        }
        return ingest;
    }

    /** The same process as started, alive, and it never ran out of memory (no restart would hide that). */
    void assertSameLiveProcessThatNeverRanOutOfMemory() throws IOException {
        assertThat(Files.readAllLines(work.resolve("ingest.log"), StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.contains("OutOfMemoryError")).toList()).as("the service ran out of memory").isEmpty();
        assertThat(service.alive()).isTrue();
        assertThat(service.pid()).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    }

    @Override
    public void close() throws IOException {
        try (InfraProcess i = infra; ObjectStore s = store; ServiceProcess p = service) {
            // the servers stop after the service
        } finally {
            Path log = work.resolve("ingest.log");
            if (Files.exists(log)) {
                Files.copy(log, Path.of("target", "bounded-memory-ingest.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            InfraProcess.deleteTree(work);
        }
    }
}
