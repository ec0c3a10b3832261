package org.cxr.local.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SCRAM-SHA-512 identity on the local broker: what a Kafka client sets to connect as it. The same
 * three settings reach the services as {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}
 * and {@code KAFKA_SASL_JAAS_CONFIG}.
 */
public record KafkaLogin(String user, String password) {
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    public static final String MECHANISM = "SCRAM-SHA-512";

    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client settings (without bootstrap servers). */
    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("security.protocol", PROTOCOL);
        c.put("sasl.mechanism", MECHANISM);
        c.put("sasl.jaas.config", jaasConfig());
        return c;
    }

    @Override
    public String toString() {
        return "KafkaLogin[" + user + "]"; // never the password
    }
}
