package org.cxr.convert.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 for a service without a public API: nothing but the management interface answers, an
 * endpoint without a role is denied, and an event cannot point convert at an object its ids do not
 * name (real broker and S3 server).
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class AccessTest {
    final Pipeline pipeline = Pipeline.get();

    @Inject
    ObjectStore store;

    @Test
    void healthAndMetricsAreOnTheManagementInterfaceOnly() {
        given().get(Management.url("/health/live")).then().statusCode(200);
        given().get(Management.url("/health/ready")).then().statusCode(200);
        given().get(Management.url("/metrics")).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/metrics", "/q/dev-ui",
                "/")) {
            assertThat(given().get(path).statusCode()).as("public port " + path).isEqualTo(404);
        }
    }

    /** 403, not 401: convert has no authentication mechanism that could ask for credentials. */
    @Test
    void anEndpointWithoutARoleIsDenied() {
        given().get("/unannotated-probe").then().statusCode(403).body(org.hamcrest.Matchers.not(containsString("open")));
    }

    @Test
    void anEventNamingAnotherObjectIsDeadLetteredUnread() throws Exception {
        byte[] dicom = ConvertServiceTest.generated(21, EncodedSyntax.EXPLICIT_VR_LE).bytes();
        InstanceReceived victim = pipeline.stored(dicom); // stored, never announced
        InstanceReceived own = pipeline.stored(dicom);
        Map<InstanceReceived, String> forged = new LinkedHashMap<>();
        forged.put(pointedAt(own, Buckets.RAW, victim.objectKey()), "another instance's DICOM");
        forged.put(pointedAt(own, Buckets.JPG, own.objectKey()), "the right key in another bucket");
        forged.put(pointedAt(own, Buckets.RAW, own.objectKey() + "/../" + victim.dicomId() + ".dcm"), "a path trick");
        forged.put(pointedAt(own, Buckets.REPORTS, ObjectKeys.report(own.subjectId(), own.studyId())), "a report");
        forged.keySet().forEach(pipeline::publish);
        InstanceReceived after = pipeline.stored(dicom);
        pipeline.publish(after);

        List<Pipeline.Out> out = pipeline.await(Pipeline.on(Topics.CONVERT_DLQ, own), forged.size(), Duration.ofSeconds(2));
        assertThat(out).hasSize(forged.size());
        for (var f : forged.entrySet()) {
            InstanceReceived e = f.getKey();
            List<DeadLetter> letters = out.stream().map(Pipeline.Out::deadLetter)
                    .filter(d -> d.originalEvent().get("bucket").asText().equals(e.bucket())
                            && d.originalEvent().get("objectKey").asText().equals(e.objectKey())).toList();
            assertThat(letters).as(f.getValue()).singleElement();
            DeadLetter d = letters.get(0);
            assertThat(d.reason()).as(f.getValue()).isEqualTo(FailureReason.INVALID_EVENT);
            assertThat(d.message()).as(f.getValue()).contains("its ids imply " + Buckets.RAW + "/" + own.objectKey());
            assertThat(d.dicomId()).isEqualTo(own.dicomId());
        }
        // nothing was converted from the forged pointers: no JPG for either instance
        assertThat(store.exists(Buckets.JPG, ObjectKeys.jpg(own.subjectId(), own.studyId(), own.dicomId()))).isFalse();
        assertThat(store.exists(Buckets.JPG, ObjectKeys.jpg(victim.subjectId(), victim.studyId(), victim.dicomId())))
                .isFalse();
        // the stream went on
        List<Pipeline.Out> converted = pipeline.await(Pipeline.on(Topics.INSTANCE_CONVERTED, after), 1, Duration.ZERO);
        assertThat(converted).singleElement();
    }

    /** {@code e} with its bucket and key replaced. */
    private static InstanceReceived pointedAt(InstanceReceived e, String bucket, String key) {
        return new InstanceReceived(e.schemaVersion(), e.subjectId(), e.studyId(), e.dicomId(), bucket, key, e.sha256(),
                e.sizeBytes(), e.transferSyntaxUid(), e.sopClassUid(), e.source(), e.receivedAt());
    }
}
