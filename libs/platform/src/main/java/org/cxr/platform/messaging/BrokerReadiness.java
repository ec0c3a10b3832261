package org.cxr.platform.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Every service's "kafka-broker" readiness check: ready only when the broker answers. A service
 * that cannot receive or announce events is not ready, and SmallRye's channel checks do not tell
 * (see {@link BrokerProbe}); the services turn their producer channels' readiness off.
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
