package org.cxr.local.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test servers ({@link InfraMain}): Kafka (open, no authorizer) and the S3 server in this JVM,
 * PostgreSQL as a child process; started side by side, stopped in reverse order. The S3 identity and
 * the PostgreSQL superuser's password are generated for each run ({@link Secrets} of its data directory). The launcher runs
 * the same servers as separate, supervised processes instead (secured).
 */
public final class LocalInfrastructure implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalInfrastructure.class);

    /** Databases created on the local PostgreSQL server, one per service that persists. */
    public static final List<String> DATABASES = List.of("ingest", "catalog");

    public record Ports(int kafka, int postgres, int s3) {
        public static Ports any() {
            return new Ports(0, 0, 0);
        }
    }

    private final Path dataDir;
    private final Ports ports;
    private final List<AutoCloseable> started = new ArrayList<>();
    private Endpoints endpoints;

    public LocalInfrastructure(Path dataDir, Ports ports) {
        this.dataDir = dataDir;
        this.ports = ports;
    }

    public Endpoints start() {
        long t0 = System.nanoTime();
        // Credentials generated per run (the data directory is new each time): no shipped default, so
        // a packaged service (prod profile, SecretsGuard) runs against these servers as well.
        Secrets secrets = new Secrets(dataDir);
        KafkaBroker kafka = new KafkaBroker(dataDir, ports.kafka());
        PostgresServer pg = new PostgresServer(dataDir, ports.postgres(), secrets.postgresSuperuser(),
                dataDir.resolve("postgres.log"));
        S3Server s3 = new S3Server(dataDir, ports.s3(), secrets.s3AccessKey(), secrets.s3SecretKey());
        started.addAll(List.of(kafka, pg, s3));
        try {
            // PostgreSQL (its own process) and S3Proxy start while the broker does
            CompletableFuture<Void> pgReady = CompletableFuture.runAsync(() -> {
                pg.start(DATABASES);
                LOG.info("PostgreSQL ready on {} after {} ms", pg.jdbcBaseUrl(), ms(t0));
            });
            CompletableFuture<Void> s3Ready = CompletableFuture.runAsync(() -> {
                s3.start();
                LOG.info("S3 server (S3Proxy, filesystem store) ready on {} after {} ms", s3.endpoint(), ms(t0));
            });
            kafka.start();
            LOG.info("Kafka broker (KRaft) ready on {} after {} ms", kafka.bootstrap(), ms(t0));
            pgReady.join();
            s3Ready.join();
            endpoints = new Endpoints(kafka.bootstrap(), pg.jdbcBaseUrl(), PostgresServer.USER,
                    secrets.postgresSuperuser(), s3.endpoint(), secrets.s3AccessKey(), secrets.s3SecretKey());
            return endpoints;
        } catch (RuntimeException e) {
            close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
