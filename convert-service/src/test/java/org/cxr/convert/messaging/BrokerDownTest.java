package org.cxr.convert.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With no broker to reach from the start, the service runs but is not ready. */
@QuarkusTest
@TestProfile(BrokerDownTest.NoBroker.class)
class BrokerDownTest {
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DeadBroker.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** The real S3 server; the broker at a port where nothing listens. */
    public static class DeadBroker implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> cfg = new HashMap<>(LocalInfraTestResource.endpoints().quarkusConfig(null));
            cfg.put("kafka.bootstrap.servers", "127.0.0.1:9");
            return cfg;
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void isAliveButNotReady() {
        given().get(Management.url("/health/ready")).then().statusCode(503)
                .body("checks.find { it.name == 'kafka-broker' }.status", org.hamcrest.Matchers.is("DOWN"))
                .body("checks.find { it.name == 'object-store' }.status", org.hamcrest.Matchers.is("UP"))
                .body("checks.name", hasItem("kafka-broker"));
        given().get(Management.url("/health/live")).then().statusCode(200);
    }
}
