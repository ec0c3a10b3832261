package org.cxr.platform.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.common.acl.AclOperation;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;

/**
 * Every service's "kafka-broker" readiness check: ready only when the broker answers, accepts the
 * service's credentials and allows what its Kafka channels do (READ of each incoming topic, WRITE
 * of each outgoing one). A service that cannot receive or announce events is not ready, and
 * SmallRye's channel checks do not tell (see {@link BrokerProbe}); the services turn their
 * producer channels' readiness off. The probe uses the channels' own Kafka settings.
 */
@Readiness
@Singleton
public class BrokerReadiness implements HealthCheck {
    private final BrokerProbe probe;

    BrokerReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafka, Config config) {
        this.probe = new BrokerProbe(kafka, needs(config));
    }

    /** READ for every topic of an incoming Kafka channel, WRITE for every outgoing one (patterns skipped). */
    static List<BrokerProbe.Need> needs(Config config) {
        List<BrokerProbe.Need> needs = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith("mp.messaging.") || !name.endsWith(".connector")
                    || !"smallrye-kafka".equals(config.getOptionalValue(name, String.class).orElse(""))) {
                continue;
            }
            String prefix = name.substring(0, name.length() - ".connector".length());
            String[] parts = prefix.split("\\.", 4); // mp, messaging, incoming|outgoing, channel
            if (parts.length < 4 || config.getOptionalValue(prefix + ".pattern", Boolean.class).orElse(false)) {
                continue;
            }
            AclOperation op = "incoming".equals(parts[2]) ? AclOperation.READ : AclOperation.WRITE;
            String topics = config.getOptionalValue(prefix + ".topics", String.class)
                    .or(() -> config.getOptionalValue(prefix + ".topic", String.class)).orElse(parts[3]);
            for (String t : topics.split(",")) {
                if (!t.isBlank()) {
                    needs.add(new BrokerProbe.Need(t.trim(), op));
                }
            }
        }
        return needs;
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
