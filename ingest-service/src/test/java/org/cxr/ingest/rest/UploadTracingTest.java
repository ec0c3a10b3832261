package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.ingest.testing.Api.given;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A study's trace starts at its upload, with the configuration ingest ships with (no span
 * exported): the uploader's W3C traceparent, or a new trace, is carried to the records ingest
 * announces, with a span of ingest's as their parent.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class UploadTracingTest {
    static final long RUN = TestDicoms.runBase();

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String traceparentOf(String topic, String studyId) throws InterruptedException {
        List<EventTap.Event> events = EventTap.get().await(EventTap.study(topic, studyId), 1);
        assertThat(events).hasSize(1);
        return events.get(0).headers().get("traceparent");
    }

    @Test
    void anUploadsTraceGoesOnInTheInstanceAndReportItAnnounces() throws InterruptedException {
        String trace = hex(16);
        String parent = hex(8);
        String traceparent = "00-" + trace + "-" + parent + "-01";
        TestDicoms.Spec spec = TestDicoms.spec("MRN-T-" + RUN, RUN, 1);
        String studyId = given().header("traceparent", traceparent).contentType("application/dicom")
                .body(TestDicoms.bytes(spec)).post("/studies/instances").then().statusCode(200)
                .extract().path("results[0].studyId");
        given().header("traceparent", traceparent).contentType("text/plain").body("IMPRESSION: Clear lungs.")
                .put("/studies/" + spec.studyUid() + "/report").then().statusCode(200);

        // version-traceId-spanId-flags: the uploader's trace, a span of ingest's (not the uploader's)
        assertThat(traceparentOf(Topics.INSTANCE_RECEIVED, studyId)).matches("00-" + trace + "-[0-9a-f]{16}-01")
                .doesNotContain(parent);
        assertThat(traceparentOf(Topics.REPORT_RECEIVED, studyId)).matches("00-" + trace + "-[0-9a-f]{16}-01")
                .doesNotContain(parent);
    }

    @Test
    void anUploadWithoutATraceparentStartsATrace() throws InterruptedException {
        TestDicoms.Spec spec = TestDicoms.spec("MRN-U-" + RUN, RUN + 1, 1);
        String studyId = given().contentType("application/dicom").body(TestDicoms.bytes(spec))
                .post("/studies/instances").then().statusCode(200).extract().path("results[0].studyId");
        String other = given().contentType("application/dicom").body(TestDicoms.bytes(TestDicoms.spec("MRN-U-" + RUN,
                RUN + 2, 1))).post("/studies/instances").then().statusCode(200).extract().path("results[0].studyId");

        String a = traceparentOf(Topics.INSTANCE_RECEIVED, studyId);
        String b = traceparentOf(Topics.INSTANCE_RECEIVED, other);
        assertThat(a).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]").doesNotStartWith("00-" + "0".repeat(32));
        // each request its own trace
        assertThat(a.substring(3, 35)).isNotEqualTo(b.substring(3, 35));
    }
}
