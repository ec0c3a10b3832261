package org.cxr.platform.messaging;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Asks the broker itself whether it answers, for a service's readiness check ("kafka-broker").
 * SmallRye's channel checks do not tell it: a consumer whose broker was down from the start
 * reports "no connection was ever attempted" as UP, and a producer is DOWN until its first send.
 * {@link BrokerReadiness} is the services' check; the admin client is made on first use.
 */
public final class BrokerProbe implements AutoCloseable {
    private final String bootstrap;
    private Admin admin;

    public BrokerProbe(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        }
        return admin;
    }

    /** UP with the number of brokers when the cluster answers within 3 s, else DOWN with the error. */
    public HealthCheckResponse check() {
        var r = HealthCheckResponse.named("kafka-broker").withData("bootstrap", bootstrap);
        try {
            int nodes = admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return nodes > 0 ? r.up().withData("nodes", nodes).build() : r.down().build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return r.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
