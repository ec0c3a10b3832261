package org.cxr.local.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.LocalInfrastructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: Kafka, PostgreSQL and S3 in this JVM, and the four services
 * as separate JVMs. Started in dependency order, stopped in reverse; publishes its state in
 * {@code platform.json}.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final PlatformConfig config;
    private final LocalInfrastructure infra;
    private final List<ServiceProcess> services = new ArrayList<>();
    private Endpoints endpoints;
    private PlatformState state;

    public Platform(PlatformConfig config) {
        this.config = config;
        this.infra = new LocalInfrastructure(config.dataDir(), config.infraPorts());
    }

    /** Starts everything and returns when every service is ready. */
    public PlatformState start(Duration timeout) {
        String startedAt = Instant.now().toString();
        publish(PlatformState.STARTING, startedAt, "starting Kafka, PostgreSQL and S3");
        checkPortsFree();
        try {
            endpoints = infra.start();
            publish(PlatformState.STARTING, startedAt, "starting services");
            for (ServiceSpec spec : ServiceSpec.ALL) {
                Map<String, String> env = new LinkedHashMap<>(endpoints.environment(spec.database()));
                if (spec.name().equals("ingest")) {
                    env.put("CXR_INGEST_DROP_FOLDER", config.dropFolder().toString());
                    env.put("CXR_INGEST_ID_SECRET", idSecret());
                }
                services.add(ServiceProcess.start(spec, config.repoRoot(), FreePorts.pick(config.port(spec)), env,
                        config.logDir()));
            }
            for (ServiceProcess s : services) {
                s.awaitReady(timeout);
                LOG.info("{} ready on {}", s.spec().module(), s.url());
            }
            return publish(PlatformState.READY, startedAt, "ready");
        } catch (RuntimeException e) {
            publish(PlatformState.FAILED, startedAt, e.getMessage());
            close();
            throw e;
        }
    }

    /**
     * The key ingest derives its pseudonyms from: random, created once per data directory and kept
     * there (owner-only), so research ids stay stable across restarts and differ between installations.
     */
    private String idSecret() {
        java.nio.file.Path file = config.dataDir().resolve("secrets/ingest-id-secret");
        try {
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createDirectories(file.getParent());
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                java.nio.file.Files.writeString(file, java.util.HexFormat.of().formatHex(key));
                java.nio.file.Files.setPosixFilePermissions(file,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            return java.nio.file.Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create or read " + file, e);
        }
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

    private PlatformState publish(String phase, String startedAt, String message) {
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (ServiceProcess s : services) {
            urls.put(s.spec().name(), s.url());
            pids.put(s.spec().name(), s.pid());
        }
        state = new PlatformState(ProcessHandle.current().pid(), phase, endpoints, urls, pids, startedAt, message);
        state.write(config.stateFile());
        return state;
    }

    public PlatformState state() {
        return state;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public String url(String service) {
        return state.serviceUrls().get(service);
    }

    /** A service JVM died after start-up (the supervisor reports it rather than hiding it). */
    public List<String> deadServices() {
        List<String> dead = new ArrayList<>();
        for (ServiceProcess s : services) {
            if (!s.alive()) {
                dead.add(s.spec().module());
            }
        }
        return dead;
    }

    @Override
    public void close() {
        if (state != null && !PlatformState.FAILED.equals(state.phase())) {
            publish(PlatformState.STOPPING, state.startedAt(), "stopping");
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        infra.close();
        if (state != null && PlatformState.FAILED.equals(state.phase())) {
            return; // keep the failure message for `./cxr up` and `./cxr status`
        }
        try {
            java.nio.file.Files.deleteIfExists(config.stateFile());
        } catch (java.io.IOException e) {
            LOG.warn("cannot delete {}: {}", config.stateFile(), e.toString());
        }
    }
}
