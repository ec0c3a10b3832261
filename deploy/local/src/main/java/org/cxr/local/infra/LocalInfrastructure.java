package org.cxr.local.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and the S3 server together, started in this JVM and stopped in reverse order.
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
        try {
            KafkaBroker kafka = new KafkaBroker(dataDir, ports.kafka()).start();
            started.add(kafka);
            LOG.info("Kafka broker (KRaft) ready on {} after {} ms", kafka.bootstrap(), ms(t0));
            PostgresServer pg = new PostgresServer(dataDir, ports.postgres(), DATABASES).start();
            started.add(pg);
            LOG.info("PostgreSQL ready on {} after {} ms", pg.jdbcBaseUrl(), ms(t0));
            S3Server s3 = new S3Server(dataDir, ports.s3()).start();
            started.add(s3);
            LOG.info("S3 server (S3Proxy, filesystem store) ready on {} after {} ms", s3.endpoint(), ms(t0));
            endpoints = new Endpoints(kafka.bootstrap(), pg.jdbcBaseUrl(), PostgresServer.USER,
                    PostgresServer.PASSWORD, s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
            return endpoints;
        } catch (RuntimeException e) {
            close();
            throw e;
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
