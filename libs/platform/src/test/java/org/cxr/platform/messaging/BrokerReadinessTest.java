package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What the readiness check asks the broker to allow: exactly what the service's Kafka channels do. */
class BrokerReadinessTest {
    @Test
    void needsReadOfIncomingAndWriteOfOutgoingKafkaTopics() {
        var config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "mp.messaging.incoming.instance-received.connector", "smallrye-kafka",
                "mp.messaging.incoming.instance-received.topics", "cxr.instance-received, cxr.convert.redrive",
                "mp.messaging.outgoing.instance-converted.connector", "smallrye-kafka",
                "mp.messaging.outgoing.instance-converted.topic", "cxr.instance-converted",
                "mp.messaging.outgoing.cxr.convert.dlq.connector", "smallrye-kafka",
                "mp.messaging.incoming.everything.connector", "smallrye-kafka",
                "mp.messaging.incoming.everything.topic", "cxr\\..*",
                "mp.messaging.incoming.everything.pattern", "true",
                "mp.messaging.outgoing.memory.connector", "smallrye-in-memory"), "test", 100)).build();
        assertThat(BrokerReadiness.needs(config)).containsExactlyInAnyOrder(
                new BrokerProbe.Need("cxr.instance-received", AclOperation.READ),
                new BrokerProbe.Need("cxr.convert.redrive", AclOperation.READ),
                new BrokerProbe.Need("cxr.instance-converted", AclOperation.WRITE),
                new BrokerProbe.Need("cxr.convert.dlq", AclOperation.WRITE));
    }
}
