package org.cxr.convert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.cxr.convert.messaging.Pipeline.Out;
import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Topics;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A study's trace goes on through convert, with the configuration it ships with (no span exported):
 * the W3C traceparent of an instance-received record is carried to the instance-converted record
 * and to a dead letter, with a span of convert's as their parent.
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class TracingTest {
    private final Pipeline pipeline = Pipeline.get();

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    void theTraceOfAnInstanceReceivedRecordGoesOnInWhatConvertEmits() throws InterruptedException {
        InstanceReceived converted = pipeline.stored(ConvertServiceTest.generated(31, EncodedSyntax.EXPLICIT_VR_LE)
                .bytes());
        InstanceReceived missing = pipeline.stored(null);
        String trace = hex(16);
        String otherTrace = hex(16);
        String parent = hex(8);
        pipeline.publish(Topics.INSTANCE_RECEIVED, converted.studyId(), EventJson.write(converted),
                Map.of("traceparent", "00-" + trace + "-" + parent + "-01"));
        pipeline.publish(Topics.INSTANCE_RECEIVED, missing.studyId(), EventJson.write(missing),
                Map.of("traceparent", "00-" + otherTrace + "-" + parent + "-01"));
        Map<InstanceReceived, List<Out>> out = pipeline.outcomes(List.of(converted, missing), Duration.ofMillis(200));

        Out c = out.get(converted).get(0);
        assertThat(c.topic()).isEqualTo(Topics.INSTANCE_CONVERTED);
        // version-traceId-spanId-flags: the same trace, a span of convert's (not the sender's)
        assertThat(c.headers().get("traceparent")).matches("00-" + trace + "-[0-9a-f]{16}-01").doesNotContain(parent);
        Out d = out.get(missing).get(0);
        assertThat(d.topic()).isEqualTo(Topics.CONVERT_DLQ);
        assertThat(d.headers().get("traceparent")).matches("00-" + otherTrace + "-[0-9a-f]{16}-01")
                .doesNotContain(parent);
    }
}
