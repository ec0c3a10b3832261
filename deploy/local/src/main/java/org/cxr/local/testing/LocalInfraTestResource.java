package org.cxr.local.testing;

import java.util.Map;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.InfraProcess;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} real servers: a Kafka broker, PostgreSQL and an S3 server, started in
 * a separate JVM for the duration of the test run. Init arg {@code database} names the PostgreSQL
 * database the service uses (omit it for services without one).
 */
public class LocalInfraTestResource implements QuarkusTestResourceLifecycleManager {
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        return endpoints().quarkusConfig(database);
    }

    /** The running servers (started on first use, stopped when the test JVM exits). */
    public static Endpoints endpoints() {
        return InfraProcess.shared().endpoints();
    }

    @Override
    public void stop() {
        // kept for the whole JVM: several test classes share one set of servers
    }
}
