package org.cxr.ingest.health;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.cxr.platform.messaging.BrokerProbe;
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
@Singleton
public class BrokerHealthCheck implements HealthCheck {
    private final BrokerProbe probe;

    BrokerHealthCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
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
