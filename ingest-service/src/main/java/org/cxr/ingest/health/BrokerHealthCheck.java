package org.cxr.ingest.health;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the broker answers. The connector's own producer readiness only turns green after a
 * first send (or needs the topics to exist), which a fresh platform has not done yet; ingest can
 * only announce (and so accept uploads) when the broker is reachable, so ask the broker itself.
 */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Admin admin;

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        }
        return admin;
    }

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("kafka-broker").withData("bootstrap", bootstrap);
        try {
            int nodes = admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return nodes > 0 ? r.up().withData("nodes", nodes).build() : r.down().build();
        } catch (Exception e) {
            return r.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
