package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.TopicAccess;
import org.cxr.events.Topics;
import org.cxr.local.infra.KafkaLogin;
import org.cxr.local.testing.SecuredBroker;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the broker as {@code ./cxr up} secures it (SASL/SCRAM, one principal per service, ACLs): a
 * service principal producing to another service's topic is denied, and the readiness probe, built
 * from the same client settings as the channels, says so (DOWN, "denied") instead of UP.
 */
class BrokerAccessTest {
    static SecuredBroker broker;

    @BeforeAll
    static void start() {
        broker = SecuredBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Map<String, Object> as(KafkaLogin login) {
        Map<String, Object> c = new HashMap<>(broker.client(login));
        c.put("max.block.ms", 10_000);
        c.put("delivery.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        return c;
    }

    @Test
    void convertProducingToIngestsTopicIsDeniedAndItsReadinessSaysSo() throws Exception {
        KafkaLogin convert = broker.login(TopicAccess.CONVERT.principal());
        try (var p = new KafkaProducer<>(as(convert), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(Topics.INSTANCE_CONVERTED, "50000001", "{}")).get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(Topics.INSTANCE_RECEIVED, "50000001", "{\"forged\":1}"))
                    .get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        // the channels convert really has: ready
        try (BrokerProbe probe = new BrokerProbe(as(convert), List.of(
                new BrokerProbe.Need(Topics.INSTANCE_RECEIVED, AclOperation.READ),
                new BrokerProbe.Need(Topics.CONVERT_REDRIVE, AclOperation.READ),
                new BrokerProbe.Need(Topics.INSTANCE_CONVERTED, AclOperation.WRITE),
                new BrokerProbe.Need(Topics.CONVERT_DLQ, AclOperation.WRITE)))) {
            HealthCheckResponse r = probe.check();
            assertThat(r.getStatus()).as(String.valueOf(r.getData())).isEqualTo(HealthCheckResponse.Status.UP);
        }
        // a channel writing ingest's topic (a misconfiguration, or a forger): not ready, and why
        try (BrokerProbe probe = new BrokerProbe(as(convert), List.of(
                new BrokerProbe.Need(Topics.INSTANCE_CONVERTED, AclOperation.WRITE),
                new BrokerProbe.Need(Topics.INSTANCE_RECEIVED, AclOperation.WRITE),
                new BrokerProbe.Need(Topics.REPORT_RECEIVED, AclOperation.READ)))) {
            HealthCheckResponse r = probe.check();
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(r.getData().orElseThrow().get("denied"))
                    .isEqualTo("WRITE cxr.instance-received, READ cxr.report-received");
            assertThat(probe.principal()).isEqualTo("convert-service");
        }
    }

    @Test
    void aWrongPasswordOrNoCredentialsIsNotReady() {
        KafkaLogin wrong = new KafkaLogin(TopicAccess.LABEL.principal(), "a-wrong-password-of-some-length");
        try (BrokerProbe probe = new BrokerProbe(as(wrong), List.of());
             BrokerProbe anonymous = new BrokerProbe(broker.bootstrap())) {
            HealthCheckResponse r = probe.check();
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(String.valueOf(r.getData().orElseThrow().get("error"))).contains("Authentication failed");
            assertThat(anonymous.check().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        }
    }
}
