package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.infra.Secrets;
import org.cxr.local.launcher.PlatformState;
import org.cxr.security.Jwt;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.minio.MinioClient;

/**
 * The one platform every end-to-end test class shares: {@code ./cxr up} as a user runs it (secured:
 * tokens, Kafka SASL/SCRAM with ACLs, database roles, generated credentials), started by the first
 * class that needs it and stopped with {@code ./cxr down} when the whole failsafe run ends (JUnit's
 * root store), so no class pays the start again. {@code ./cxr down} must leave no process and no
 * bound port, or the run fails.
 * <p>Use: {@code @ExtendWith(SharedPlatform.class)} on the class and a {@code SharedPlatform}
 * parameter (constructor, {@code @BeforeAll} or test method). Classes run in {@code @Order} order
 * ({@code junit-platform.properties}): the flows first (PlatformIT: 100), scans of what the platform
 * wrote after them (500), anything that kills or stops parts of the platform last (900). A class must
 * leave the platform as it found it: running, every process up.
 */
public final class SharedPlatform implements BeforeAllCallback, ParameterResolver, ExtensionContext.Store.CloseableResource {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPlatform.class);

    private final Path repo;
    private final Path dataDir;
    private final List<String> ports;
    private final Secrets secrets;
    /** Where the services export their spans (tracing is on for the shared platform: TracingIT). */
    private final OtlpReceiver traces;
    private volatile PlatformState state;

    private SharedPlatform(Path repo, Path dataDir, List<String> ports) {
        this.repo = repo;
        this.dataDir = dataDir;
        this.ports = ports;
        this.secrets = dataDir == null ? null : new Secrets(dataDir);
        this.traces = dataDir == null ? null : OtlpReceiver.start(dataDir.resolve("otlp-traces"));
    }

    /** The extension instance JUnit creates per class only looks the shared one up. */
    public SharedPlatform() {
        this(null, null, null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared(context);
    }

    private static SharedPlatform shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("platform", k -> start(),
                SharedPlatform.class);
    }

    private static SharedPlatform start() {
        try {
            Path dataDir = Files.createTempDirectory("cxr-e2e-");
            List<String> ports = new ArrayList<>();
            for (String p : List.of("--kafka-port", "--postgres-port", "--s3-port", "--ingest-port", "--convert-port",
                    "--label-port", "--catalog-port")) {
                ports.add(p);
                ports.add(Integer.toString(FreePorts.pick(0)));
            }
            SharedPlatform platform = new SharedPlatform(LocalClasspath.repoRoot(), dataDir, ports);
            long t0 = System.nanoTime();
            Cxr.Result r = platform.cxr(Duration.ofMinutes(6), "up");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("platform ready");
            try {
                platform.state = PlatformState.read(dataDir.resolve("platform.json")).orElseThrow();
            } catch (RuntimeException | LinkageError e) {
                platform.cxr(Duration.ofMinutes(3), "down"); // JUnit will not close what it never got
                throw e;
            }
            System.out.printf("[e2e] shared platform up in %.0f s: Kafka %s, PostgreSQL %s, S3 %s, services %s%n",
                    (System.nanoTime() - t0) / 1e9, platform.state.endpoints().kafkaBootstrap(),
                    platform.state.endpoints().jdbcBaseUrl(), platform.state.endpoints().s3Endpoint(),
                    platform.state.serviceUrls());
            return platform;
        } catch (Exception e) {
            throw new IllegalStateException("the shared platform did not start: " + e.getMessage(), e);
        }
    }

    /** At the end of the run: {@code ./cxr down} leaves no process and no bound port. */
    @Override
    public void close() throws Exception {
        Cxr.Result r = cxr(Duration.ofMinutes(3), "down");
        traces.close();
        try {
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("no process left, ports free");
            PlatformState last = state;
            for (long pid : last.allPids()) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SharedPlatform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    public Path repo() {
        return repo;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** What platform.json says now (pids change when the supervisor restarts a process). */
    public PlatformState state() {
        state = PlatformState.read(dataDir.resolve("platform.json")).orElseThrow();
        return state;
    }

    /** The public URL of a service: ingest, convert, label, catalog. */
    public String url(String service) {
        return state.serviceUrls().get(service);
    }

    /** Its management URL (health and metrics, once the service serves them there). */
    public String managementUrl(String service) {
        return state.managementUrls().get(service);
    }

    /** A bearer token with these roles, principal {@code e2e-<first role>}, signed with the platform's key. */
    public String token(String... roles) {
        return Jwt.sign(Jwt.Claims.local("e2e-" + roles[0], List.of(roles), Duration.ofMinutes(30)),
                secrets.oidcSigningKey().getPrivate());
    }

    /** The spans the services exported so far. */
    OtlpReceiver traces() {
        return traces;
    }

    /** The S3 server with the platform's own identity. */
    public MinioClient s3() {
        return MinioClient.builder().endpoint(state.endpoints().s3Endpoint())
                .credentials(secrets.s3AccessKey(), secrets.s3SecretKey()).build();
    }

    /** A superuser connection to one of the platform's databases. */
    public Connection database(String name) throws SQLException {
        return DriverManager.getConnection(state.endpoints().jdbcUrl(name), "postgres", secrets.postgresSuperuser());
    }

    /** Client settings (bootstrap included) of the broker's super user, for tests that read topics. */
    public Map<String, Object> kafkaAdmin() {
        Map<String, Object> c = new java.util.HashMap<>(secrets.kafkaAdmin().clientConfig());
        c.put("bootstrap.servers", state.endpoints().kafkaBootstrap());
        return c;
    }

    /**
     * Runs {@code ./cxr} as a user would against this platform: lifecycle commands get its data
     * directory and ports, every command finds it through {@code CXR_DATA_DIR} (CLIs take their
     * token from there).
     */
    public Cxr.Result cxr(Duration timeout, String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        if (List.of("up", "down", "status", "demo").contains(command)) {
            all.add("--data-dir");
            all.add(dataDir.toString());
            if (!command.equals("status")) {
                all.addAll(ports);
            }
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("CXR_DATA_DIR", dataDir.toString()));
        if (command.equals("up")) {
            env.putAll(traces.environment()); // the services inherit the launcher's environment
        }
        try {
            return Cxr.run(repo, timeout, all, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("./cxr " + all + " failed: " + e, e);
        }
    }
}
