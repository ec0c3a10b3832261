package org.cxr.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Plain Kafka clients configured like the service's channels. Quarkus gathers every {@code kafka.*}
 * setting (env {@code KAFKA_*}: bootstrap servers, security protocol, SASL mechanism and JAAS
 * configuration, TLS) into the map it hands each channel ({@code @Identifier("default-kafka-broker")});
 * the platform's own clients (broker probe, attempt log) start from the same map, so they reach a
 * secured broker exactly as the channels do. Only the settings a client type knows are kept (the
 * rest would be logged as unknown).
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    public static Map<String, Object> admin(Map<String, ?> kafka) {
        return only(kafka, AdminClientConfig.configNames());
    }

    public static Map<String, Object> producer(Map<String, ?> kafka) {
        return only(kafka, ProducerConfig.configNames());
    }

    public static Map<String, Object> consumer(Map<String, ?> kafka) {
        return only(kafka, ConsumerConfig.configNames());
    }

    private static Map<String, Object> only(Map<String, ?> kafka, Set<String> known) {
        Map<String, Object> m = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (known.contains(k) && v != null) {
                m.put(k, v);
            }
        });
        return m;
    }
}
