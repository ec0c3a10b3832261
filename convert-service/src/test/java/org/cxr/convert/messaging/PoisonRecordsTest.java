package org.cxr.convert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Records that could stop convert or loop forever, against the real broker and S3 server: each
 * becomes one dead letter with its reason (and attempt history), and the stream goes on.
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class PoisonRecordsTest {
    static final Duration QUIET = Duration.ofSeconds(3);
    final Pipeline pipeline = Pipeline.get();

    private DeadLetter onlyDeadLetter(InstanceReceived e) throws InterruptedException {
        List<Pipeline.Out> out = pipeline.outcomes(List.of(e), QUIET).get(e);
        assertThat(out).singleElement().extracting(Pipeline.Out::topic).isEqualTo(Topics.CONVERT_DLQ);
        return out.get(0).deadLetter();
    }

    /** A good instance sent after a poison record is converted: the stream went on. */
    private void streamGoesOn() throws InterruptedException {
        InstanceReceived after = pipeline.stored(ConvertServiceTest.generated(31, EncodedSyntax.EXPLICIT_VR_LE).bytes());
        pipeline.publish(after);
        assertThat(pipeline.outcomes(List.of(after), Duration.ZERO).get(after)).singleElement()
                .extracting(Pipeline.Out::topic).isEqualTo(Topics.INSTANCE_CONVERTED);
    }

    @Test
    void anErrorThrownWhileConvertingIsTriedThreeTimesThenDeadLetteredWithItsHistory() throws Exception {
        InstanceReceived e = pipeline.stored(ConvertServiceTest.generated(30, EncodedSyntax.EXPLICIT_VR_LE).bytes());
        PoisonedObjects.POISONED.add(e.objectKey());
        double internal = Pipeline.metric("cxr_convert_instances_total{outcome=\"failed\",reason=\"INTERNAL_ERROR\"}");
        pipeline.publish(e);
        DeadLetter d = onlyDeadLetter(e);
        assertThat(d.reason()).isEqualTo(FailureReason.INTERNAL_ERROR);
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.history()).extracting(DeliveryAttempt::number).containsExactly(1, 2, 3);
        assertThat(d.history()).extracting(DeliveryAttempt::outcome).containsOnly(DeliveryAttempt.FAILED);
        assertThat(d.history()).extracting(DeliveryAttempt::error)
                .allMatch(m -> m.startsWith("java.lang.NoClassDefFoundError"));
        assertThat(d.message()).contains("3 attempts").contains("NoClassDefFoundError");
        assertThat(d.originalEventId()).isEqualTo(e.eventId());
        assertThat(List.of(d.studyId(), d.dicomId())).containsExactly(e.studyId(), e.dicomId());
        assertThat(Pipeline.metric("cxr_convert_instances_total{outcome=\"failed\",reason=\"INTERNAL_ERROR\"}"))
                .isEqualTo(internal + 1);
        streamGoesOn();
    }

    @Test
    void aRedrivenRecordIsConvertedFromTheRedriveTopicAndAPoisonedOneKeepsCounting() throws Exception {
        InstanceReceived fixed = pipeline.stored(ConvertServiceTest.generated(32, EncodedSyntax.RLE_LOSSLESS).bytes());
        pipeline.publish(Topics.CONVERT_REDRIVE, fixed.studyId(), EventJson.write(fixed),
                Map.of(EventHeaders.ID, fixed.eventId(), EventHeaders.ATTEMPTS, "3"));
        assertThat(pipeline.outcomes(List.of(fixed), QUIET).get(fixed)).singleElement()
                .extracting(Pipeline.Out::topic).isEqualTo(Topics.INSTANCE_CONVERTED);

        InstanceReceived still = pipeline.stored(ConvertServiceTest.generated(33, EncodedSyntax.EXPLICIT_VR_LE).bytes());
        PoisonedObjects.POISONED.add(still.objectKey());
        pipeline.publish(Topics.CONVERT_REDRIVE, still.studyId(), EventJson.write(still),
                Map.of(EventHeaders.ID, still.eventId(), EventHeaders.ATTEMPTS, "3"));
        DeadLetter d = onlyDeadLetter(still);
        assertThat(d.attempts()).isEqualTo(6);
        assertThat(d.history()).extracting(DeliveryAttempt::number).containsExactly(4, 5, 6);
        assertThat(d.originalTopic()).isEqualTo(Topics.CONVERT_REDRIVE);
    }

    @Test
    void anObjectLargerThanTheLimitIsDeadLetteredAtOnceWithoutReadingIt() throws Exception {
        // %test.cxr.convert.max-object-bytes is 2 MiB
        InstanceReceived e = pipeline.stored(new byte[(2 << 20) + 1]);
        pipeline.publish(e);
        DeadLetter d = onlyDeadLetter(e);
        assertThat(d.reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(d.attempts()).isNull(); // an answer about the data, not a retried failure
        assertThat(d.message()).contains("over the limit of 2097152 bytes");
        streamGoesOn();
    }

    @Test
    void aCeIdLongerThanAnyIdIsDeadLetteredInvalidWithoutConverting() throws Exception {
        InstanceReceived e = pipeline.stored(ConvertServiceTest.generated(34, EncodedSyntax.EXPLICIT_VR_LE).bytes());
        pipeline.publish(Topics.INSTANCE_RECEIVED, e.studyId(), EventJson.write(e),
                Map.of(EventHeaders.ID, "instance-received:" + "9".repeat(5000)));
        DeadLetter d = onlyDeadLetter(e);
        assertThat(d.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(d.message()).startsWith("ce_id of 5018 bytes");
        assertThat(d.originalEventId()).isEqualTo(e.eventId()).hasSizeLessThan(200);
        assertThat(d.eventId()).hasSizeLessThan(400); // fits the catalog's dead-letter id column
        assertThat(pipeline.store.exists(Buckets.JPG, ObjectKeys.jpg(e.subjectId(), e.studyId(), e.dicomId()))).isFalse();
        streamGoesOn();
    }
}
