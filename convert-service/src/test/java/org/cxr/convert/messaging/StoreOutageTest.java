package org.cxr.convert.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cxr.events.Buckets;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The object store goes down while an event waits: the service retries, then converts it. */
@QuarkusTest
@TestProfile(StoreOutageTest.LinkedStore.class)
class StoreOutageTest {
    /** The real servers, with the S3 server reached through a {@link StoreLink}. */
    public static class LinkedStore implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LinkResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    public static class LinkResource implements QuarkusTestResourceLifecycleManager {
        static StoreLink link;

        @Override
        public Map<String, String> start() {
            var endpoints = LocalInfraTestResource.endpoints();
            try {
                link = new StoreLink(endpoints.s3Endpoint());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> cfg = new HashMap<>(endpoints.quarkusConfig(null));
            cfg.put("cxr.s3.endpoint", link.url());
            return cfg;
        }

        @Override
        public void stop() {
        }
    }

    static final String RETRIES = "cxr_convert_retries_total{what=\"check\"}";

    @Test
    void anEventWaitsOutAStoreOutageAndIsThenConverted() throws Exception {
        Pipeline pipeline = Pipeline.get();
        InstanceReceived e = pipeline.stored(ConvertServiceTest.generated(21, EncodedSyntax.EXPLICIT_VR_LE).bytes());
        double retries = Pipeline.metric(RETRIES);
        LinkResource.link.cut();
        try {
            pipeline.publish(e);
            long deadline = System.currentTimeMillis() + 30_000;
            while (Pipeline.metric(RETRIES) < retries + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Pipeline.metric(RETRIES)).isGreaterThanOrEqualTo(retries + 3);
            given().get(Management.url("/health/ready")).then().statusCode(503);
            assertThat(pipeline.matching(Pipeline.about(e))).as("nothing emitted, nothing dead-lettered").isEmpty();
        } finally {
            LinkResource.link.restore();
        }
        List<Pipeline.Out> out = pipeline.outcomes(List.of(e), Duration.ofSeconds(2)).get(e);
        assertThat(out).singleElement().extracting(Pipeline.Out::topic).isEqualTo(Topics.INSTANCE_CONVERTED);
        assertThat(pipeline.store.exists(Buckets.JPG, ObjectKeys.jpg(e.subjectId(), e.studyId(), e.dicomId()))).isTrue();
        given().get(Management.url("/health/ready")).then().statusCode(200);
    }
}
