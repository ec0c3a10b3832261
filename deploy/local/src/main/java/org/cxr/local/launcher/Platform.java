package org.cxr.local.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.KafkaAccess;
import org.cxr.local.infra.KafkaLogin;
import org.cxr.local.infra.PostgresRoles;
import org.cxr.local.infra.PostgresServer;
import org.cxr.local.infra.Secrets;
import org.cxr.security.Jwt;
import org.cxr.security.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine, each part its own process: the Kafka broker (a JVM; SASL/SCRAM
 * with one principal per service and ACLs), PostgreSQL (one role per service database), the S3
 * server (a JVM), then the four services as separate JVMs. Started in dependency order, all
 * supervised (restarted when they die), stopped in reverse; publishes its state in
 * {@code platform.json}. Every credential is generated per data directory ({@link Secrets}).
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** The services' consumer session timeout (heartbeats every 3 s, Kafka's default, leave room for a loaded machine). */
    static final int SESSION_TIMEOUT_MS = 12_000;
    /** The AE title and HL7 sending application ingest admits from this machine: {@code ./cxr demo --via dimse}. */
    public static final String DEMO_SENDER = "CXR_DEMO";
    /** ingest's called AE title (its default, {@code CXR_INGEST_DIMSE_AE_TITLE}). */
    public static final String INGEST_AE_TITLE = "CXR_INGEST";

    private final PlatformConfig config;
    private final Secrets secrets;
    private final Supervisor supervisor;
    private final List<ServiceProcess> services = new ArrayList<>();
    private Endpoints endpoints;
    private final Map<String, String> listeners = new LinkedHashMap<>();
    /** Variables every service gets besides its own (tracing); the launcher's environment is inherited too. */
    private final Map<String, String> serviceEnvironment = new LinkedHashMap<>();
    private volatile PlatformState state;
    private String startedAt;

    public Platform(PlatformConfig config) {
        this.config = config;
        this.secrets = new Secrets(config.dataDir());
        this.supervisor = new Supervisor(this::republish);
    }

    /** Starts everything and returns when every service is ready. */
    public PlatformState start(Duration timeout) {
        startedAt = Instant.now().toString();
        publish(PlatformState.STARTING, "starting Kafka, PostgreSQL and S3");
        checkPortsFree();
        try {
            ensureSecrets();
            int kafkaPort = FreePorts.pick(config.kafkaPort());
            int s3Port = FreePorts.pick(config.s3Port());
            // durable: the catalog and ingest acknowledge Kafka records and uploads after their commit,
            // so a commit lost in a crash of the server would be lost data (FaultInjectionIT's kill -9)
            PostgresServer pg = new PostgresServer(config.dataDir(), config.postgresPort(), secrets.postgresSuperuser(),
                    config.logDir().resolve("postgres.log"), true);
            String dataDir = config.dataDir().toString();
            supervisor.startAll(List.of(
                    new ServerChild("kafka", "512m", List.of("kafka", dataDir, "" + kafkaPort, "" + FreePorts.pick(0)),
                            config.logDir().resolve("kafka.log")),
                    ServerChild.postgres(pg),
                    new ServerChild("s3", "384m", List.of("s3", dataDir, "" + s3Port), config.logDir().resolve("s3.log"))),
                    timeout);
            String bootstrap = "127.0.0.1:" + kafkaPort;
            KafkaAccess.provision(adminClientConfig(bootstrap, secrets), secrets::kafka);
            Map<String, String> dbPasswords = new LinkedHashMap<>();
            ServiceSpec.ALL.stream().filter(s -> s.database() != null)
                    .forEach(s -> dbPasswords.put(s.database(), secrets.postgres(s.database())));
            PostgresRoles.provision(pg, secrets.postgresSuperuser(), dbPasswords);
            endpoints = new Endpoints(bootstrap, pg.jdbcBaseUrl(), null, null, "http://127.0.0.1:" + s3Port, null, null);
            LOG.info("Kafka {} (SASL/SCRAM, ACLs), PostgreSQL {} (a role per database), S3 {} ready", bootstrap,
                    pg.jdbcBaseUrl(), endpoints.s3Endpoint());

            publish(PlatformState.STARTING, "starting services");
            listeners.put("dimse", "127.0.0.1:" + FreePorts.pick(0));
            listeners.put("hl7", "127.0.0.1:" + FreePorts.pick(0));
            for (ServiceSpec spec : ServiceSpec.ALL) {
                services.add(new ServiceProcess(spec, config.repoRoot(), FreePorts.pick(config.port(spec)),
                        FreePorts.pick(0), environment(spec), config.logDir()));
            }
            supervisor.startAll(List.copyOf(services), timeout);
            services.forEach(s -> LOG.info("{} ready on {}", s.spec().module(), s.url()));
            return publish(PlatformState.READY, "ready");
        } catch (RuntimeException e) {
            publish(PlatformState.FAILED, e.getMessage());
            close();
            throw e;
        }
    }

    /**
     * The services export their spans to this OTLP collector ({@code ./cxr up --otlp URL}; tracing is
     * off by default, docs/operations.md#tracing). Call before {@link #start}.
     */
    public void exportTraces(String otlpEndpoint) {
        serviceEnvironment.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        serviceEnvironment.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    }

    /** Creates every credential before a server process reads one (they are never created twice). */
    private void ensureSecrets() {
        secrets.kafkaAdmin();
        secrets.s3AccessKey();
        secrets.s3SecretKey();
        secrets.postgresSuperuser();
        secrets.ingestIdSecret();
        secrets.oidcSigningKey();
        for (ServiceSpec s : ServiceSpec.ALL) {
            secrets.kafka(s.access().principal());
            if (s.database() != null) {
                secrets.postgres(s.database());
            }
        }
    }

    /** The super user's client settings: the launcher's own admin client (provisioning, status, demo). */
    static Map<String, Object> adminClientConfig(String bootstrap, Secrets secrets) {
        Map<String, Object> c = new LinkedHashMap<>(secrets.kafkaAdmin().clientConfig());
        c.put("bootstrap.servers", bootstrap);
        return c;
    }

    /**
     * What a service gets (the names of TEAM.md, read by every service): its own Kafka identity, the
     * S3 identity, its database role, the token verification key, and generated secrets for
     * everything the prod profile refuses to run with when it is a shipped default.
     */
    private Map<String, String> environment(ServiceSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        KafkaLogin kafka = secrets.kafka(spec.access().principal());
        env.put("KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrap());
        env.put("KAFKA_SECURITY_PROTOCOL", KafkaLogin.PROTOCOL);
        env.put("KAFKA_SASL_MECHANISM", KafkaLogin.MECHANISM);
        env.put("KAFKA_SASL_JAAS_CONFIG", kafka.jaasConfig());
        if (spec.access().consumes()) {
            // A consumer killed with -9 keeps its partitions until its session expires: Kafka's 45 s
            // default held a stage that long after each restart (FaultInjectionIT, docs/reliability.md).
            env.put("KAFKA_SESSION_TIMEOUT_MS", Integer.toString(SESSION_TIMEOUT_MS));
        }
        env.put("CXR_S3_ENDPOINT", endpoints.s3Endpoint());
        env.put("CXR_S3_ACCESS_KEY", secrets.s3AccessKey());
        env.put("CXR_S3_SECRET_KEY", secrets.s3SecretKey());
        if (spec.database() != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", endpoints.jdbcUrl(spec.database()));
            env.put("QUARKUS_DATASOURCE_USERNAME", PostgresRoles.role(spec.database()));
            env.put("QUARKUS_DATASOURCE_PASSWORD", secrets.postgres(spec.database()));
        }
        env.put("QUARKUS_OIDC_PUBLIC_KEY", Pem.publicKeyValue(secrets.oidcSigningKey().getPublic()));
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.LOCAL_ISSUER);
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Jwt.LOCAL_AUDIENCE);
        if (spec.name().equals("ingest")) {
            env.put("CXR_INGEST_DROP_FOLDER", config.dropFolder().toString());
            env.put("CXR_INGEST_ID_SECRET", secrets.ingestIdSecret());
            // the hospital listeners, open to the demo's sender on this machine only (docs/hospital-integration.md)
            env.put("CXR_INGEST_DIMSE_PORT", port(listeners.get("dimse")));
            env.put("CXR_INGEST_DIMSE_ALLOWED_PEERS", DEMO_SENDER + "@127.0.0.1");
            env.put("CXR_INGEST_HL7_PORT", port(listeners.get("hl7")));
            env.put("CXR_INGEST_HL7_ALLOWED_SENDERS", DEMO_SENDER + "@127.0.0.1");
        }
        env.putAll(serviceEnvironment);
        return env;
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private void checkPortsFree() {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("Kafka", config.kafkaPort());
        wanted.put("PostgreSQL", config.postgresPort());
        wanted.put("S3", config.s3Port());
        for (ServiceSpec s : ServiceSpec.ALL) {
            wanted.put(s.module(), config.port(s));
        }
        List<String> taken = new ArrayList<>();
        wanted.forEach((what, port) -> {
            if (port > 0 && !FreePorts.isFree(port)) {
                taken.add(what + " port " + port);
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException("ports already in use: " + String.join(", ", taken)
                    + ". Is a platform already running (./cxr status)? Otherwise stop what uses them or choose"
                    + " other ports (./cxr up --help).");
        }
    }

    private synchronized PlatformState publish(String phase, String message) {
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> management = new LinkedHashMap<>();
        for (ServiceProcess s : services) {
            urls.put(s.name(), s.url());
            management.put(s.name(), s.managementUrl());
        }
        Map<String, PlatformState.ProcessInfo> processes = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        supervisor.snapshot().forEach((name, p) -> {
            processes.put(name, new PlatformState.ProcessInfo(p.pid(), p.phase(), p.restarts(), p.lastExit(), p.since()));
            if (urls.containsKey(name)) {
                pids.put(name, p.pid());
            }
        });
        state = new PlatformState(ProcessHandle.current().pid(), phase, endpoints, urls, management, pids, processes,
                startedAt, message, Map.copyOf(listeners));
        state.write(config.stateFile());
        return state;
    }

    /** A supervised process changed (exited, restarted): the same phase, current pids. */
    private void republish() {
        PlatformState s = state;
        if (s != null && !PlatformState.STOPPING.equals(s.phase())) {
            publish(s.phase(), s.message());
        }
    }

    public PlatformState state() {
        return state;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The processes that are not serving right now (exited and waiting for their restart). */
    public List<String> down() {
        return supervisor.down();
    }

    @Override
    public void close() {
        if (state != null && !PlatformState.FAILED.equals(state.phase())) {
            publish(PlatformState.STOPPING, "stopping");
        }
        supervisor.close();
        if (state != null && PlatformState.FAILED.equals(state.phase())) {
            return; // keep the failure message for `./cxr up` and `./cxr status`
        }
        try {
            Files.deleteIfExists(config.stateFile());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", config.stateFile(), e.toString());
        }
    }
}
