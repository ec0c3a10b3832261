package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.local.infra.InfraProcess;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The broker check against a real broker, and against a port where nothing listens. */
class BrokerProbeTest {
    @Test
    void upWhenTheBrokerAnswersDownWhenNothingListens() {
        try (BrokerProbe up = new BrokerProbe(InfraProcess.shared().endpoints().kafkaBootstrap());
             BrokerProbe down = new BrokerProbe("127.0.0.1:9")) {
            HealthCheckResponse ok = up.check();
            assertThat(ok.getName()).isEqualTo("kafka-broker");
            assertThat(ok.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(ok.getData().orElseThrow()).containsEntry("nodes", 1L);
            HealthCheckResponse ko = down.check();
            assertThat(ko.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(ko.getData().orElseThrow()).containsKey("error").containsEntry("bootstrap", "127.0.0.1:9");
        }
    }
}
