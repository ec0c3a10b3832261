package org.cxr.catalog.health;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.cxr.platform.messaging.BrokerProbe;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the broker answers: a service that cannot receive events nor announce
 * indexed studies is not ready (SmallRye's consumer check says UP for a broker down since start-up).
 */
@Readiness
@Singleton
public class BrokerReadiness implements HealthCheck {
    private final BrokerProbe probe;

    BrokerReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.probe = new BrokerProbe(bootstrap);
    }

    @Override
    public HealthCheckResponse call() {
        return probe.check();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
