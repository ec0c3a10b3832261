package org.cxr.convert.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.cxr.convert.domain.ConversionResult;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.TestDicom;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.convert.storage.ConversionObjects;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;
import org.cxr.dicom.VR;
import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventHeaders;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.local.testing.SharedData;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** convert-service against a real Kafka broker and S3 server (LocalInfraTestResource). */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class ConvertServiceTest {
    static final Duration QUIET = Duration.ofSeconds(3);
    final Pipeline pipeline = Pipeline.get();
    /** The domain on its own, to compare the service's JPGs with. */
    static final Converter DOMAIN = NativeConverter.standard();

    @Inject
    ObjectStore store;

    /** A small generated chest X-ray (192 pixels at most) in the given transfer syntax. */
    static GeneratedInstance generated(long seed, EncodedSyntax syntax) {
        GeneratorOptions options = GeneratorOptions.defaults().withPhi(false).withMaxSize(192, 192)
                .withSyntaxes(Set.of(syntax));
        return new StudyGenerator(seed, options).iterator().next().instances().get(0);
    }

    /** Checks the event, the JPG and the marker of a converted instance. */
    private InstanceConverted assertConverted(InstanceReceived e, List<Pipeline.Out> out, byte[] dicom) throws IOException {
        assertThat(out).singleElement().extracting(Pipeline.Out::topic).isEqualTo(Topics.INSTANCE_CONVERTED);
        Pipeline.Out o = out.get(0);
        InstanceConverted c = o.converted();
        assertThat(o.key()).isEqualTo(e.studyId());
        assertThat(o.headers()).containsEntry(EventHeaders.ID, c.eventId())
                .containsEntry(EventHeaders.TYPE, InstanceConverted.TYPE)
                .containsEntry(EventHeaders.SOURCE, "/cxr/convert-service").containsEntry(EventHeaders.SUBJECT, e.studyId());
        assertThat(c.eventId()).isEqualTo("instance-converted:" + e.dicomId() + ":" + e.sha256());
        assertThat(List.of(c.subjectId(), c.studyId(), c.dicomId())).containsExactly(e.subjectId(), e.studyId(), e.dicomId());
        assertThat(c.sourceKey()).isEqualTo(e.objectKey());
        assertThat(c.sourceSha256()).isEqualTo(e.sha256());
        assertThat(c.bucket()).isEqualTo(Buckets.JPG);
        assertThat(c.jpgKey()).isEqualTo(ObjectKeys.jpg(e.subjectId(), e.studyId(), e.dicomId()));
        assertThat(c.converterVersion()).isEqualTo(Converter.VERSION);
        assertThat(c.totalMillis()).isGreaterThanOrEqualTo(c.decodeMillis()).isGreaterThanOrEqualTo(0);

        byte[] jpg = store.get(Buckets.JPG, c.jpgKey());
        assertThat(jpg).hasSize((int) c.jpgBytes());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpg));
        assertThat(image.getHeight()).isEqualTo(c.metadata().rows());
        assertThat(image.getWidth()).isEqualTo(c.metadata().columns());
        ConversionResult.Converted local = (ConversionResult.Converted) DOMAIN.convert(dicom, Conversions.ids(e));
        assertThat(jpg).as("the service stores the domain's JPG").isEqualTo(local.jpg());
        assertThat(store.stat(Buckets.JPG, c.jpgKey()).orElseThrow().userMetadata())
                .containsEntry(ConversionObjects.SOURCE_SHA256, e.sha256())
                .containsEntry(ConversionObjects.CONVERTER_VERSION, Converter.VERSION);
        assertThat(new String(store.get(Buckets.JPG, ConversionObjects.markerKey(e.dicomId())), StandardCharsets.UTF_8))
                .isEqualTo(o.value());
        return c;
    }

    /** What was emitted about one instance, once it has a record and a quiet period passed. */
    private List<Pipeline.Out> outcome(InstanceReceived e) throws InterruptedException {
        return pipeline.outcomes(List.of(e), QUIET).get(e);
    }

    static final String SKIPPED = "cxr_convert_instances_total{outcome=\"skipped\",reason=\"none\"}";

    @Test
    void convertsEveryGeneratedTransferSyntaxAndAnnouncesTheMetadata() throws Exception {
        Map<InstanceReceived, GeneratedInstance> sent = new LinkedHashMap<>();
        for (EncodedSyntax syntax : EncodedSyntax.values()) {
            GeneratedInstance g = generated(100 + syntax.ordinal(), syntax);
            InstanceReceived e = pipeline.stored(g.bytes());
            sent.put(e, g);
            pipeline.publish(e);
        }
        Map<InstanceReceived, List<Pipeline.Out>> out = pipeline.outcomes(sent.keySet(), QUIET);
        for (var s : sent.entrySet()) {
            InstanceReceived e = s.getKey();
            GeneratedInstance g = s.getValue();
            InstanceConverted c = assertConverted(e, out.get(e), g.bytes());
            assertThat(c.transferSyntaxUid()).isEqualTo(g.transferSyntaxUid());
            assertThat(c.metadata()).as(g.transferSyntaxUid()).isEqualTo(g.metadata());
            assertThat(c.constantImage()).isFalse();
        }
    }

    @Test
    void theSameEventTwiceLeavesOneJpgAndOneEvent() throws Exception {
        byte[] dicom = generated(7, EncodedSyntax.EXPLICIT_VR_LE).bytes();
        InstanceReceived e = pipeline.stored(dicom);
        double skipped = Pipeline.metric(SKIPPED);
        pipeline.publish(e); // twice at once: two workers may take them together
        pipeline.publish(e);
        assertConverted(e, outcome(e), dicom);
        pipeline.publish(e); // and once more later
        long deadline = System.currentTimeMillis() + 30_000;
        while (Pipeline.metric(SKIPPED) < skipped + 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(Pipeline.metric(SKIPPED)).isEqualTo(skipped + 2);
        assertThat(outcome(e)).hasSize(1);
        assertThat(store.listKeysToList(Buckets.JPG, ObjectKeys.studyDir(e.subjectId(), e.studyId())))
                .containsExactly(ObjectKeys.jpg(e.subjectId(), e.studyId(), e.dicomId()));
    }

    @Test
    void aCrashBeforeTheMarkerReannouncesTheSameFact() throws Exception {
        byte[] dicom = generated(8, EncodedSyntax.RLE_LOSSLESS).bytes();
        InstanceReceived e = pipeline.stored(dicom);
        pipeline.publish(e);
        InstanceConverted first = assertConverted(e, outcome(e), dicom);
        // as if the service stopped after the broker's ack and before writing the marker
        store.delete(Buckets.JPG, ConversionObjects.markerKey(e.dicomId()));
        pipeline.publish(e);
        List<Pipeline.Out> out = pipeline.await(Pipeline.about(e), 2, QUIET);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).headers().get(EventHeaders.ID)).isEqualTo(out.get(0).headers().get(EventHeaders.ID));
        InstanceConverted again = out.get(1).converted();
        assertThat(again).usingRecursiveComparison().ignoringFields("convertedAt", "decodeMillis", "totalMillis")
                .isEqualTo(first);
        assertConverted(e, out.subList(1, 2), dicom);
        assertThat(store.listKeysToList(Buckets.JPG, ObjectKeys.studyDir(e.subjectId(), e.studyId()))).hasSize(1);
    }

    @Test
    void badInputIsDeadLetteredWithItsReasonAndTheStreamGoesOn() throws Exception {
        Dataset multiFrame = TestDicom.image(2, 2, 8, 8, false, "MONOCHROME2", new int[8]);
        multiFrame.putInt(Tag.NumberOfFrames, VR.IS, 2);
        Dataset badFrames = TestDicom.image(2, 2, 8, 8, false, "MONOCHROME2", new int[4]);
        badFrames.putString(Tag.NumberOfFrames, VR.IS, "1A");
        byte[] good = generated(9, EncodedSyntax.IMPLICIT_VR_LE).bytes();
        Map<FailureReason, byte[]> inputs = new LinkedHashMap<>();
        inputs.put(FailureReason.NOT_DICOM, "IMPRESSION: no acute process.".getBytes(StandardCharsets.US_ASCII));
        inputs.put(FailureReason.TRUNCATED, Arrays.copyOf(good, good.length / 2));
        inputs.put(FailureReason.MULTI_FRAME, TestDicom.explicitLe(multiFrame));
        inputs.put(FailureReason.MALFORMED, TestDicom.explicitLe(badFrames));
        inputs.put(FailureReason.NO_PIXEL_DATA, TestDicom.explicitLe(TestDicom.header(2, 2, 8, 8, false, "MONOCHROME2")));
        inputs.put(FailureReason.TOO_LARGE, new byte[3 << 20]); // over %test.cxr.convert.max-object-bytes
        inputs.put(FailureReason.OBJECT_MISSING, null);
        Map<InstanceReceived, FailureReason> sent = new LinkedHashMap<>();
        inputs.forEach((reason, bytes) -> sent.put(pipeline.stored(bytes), reason));
        sent.keySet().forEach(pipeline::publish);
        String junkKey = "junk-" + System.nanoTime();
        pipeline.publish(junkKey, "{\"not\": \"an event\"}");
        InstanceReceived after = pipeline.stored(good);
        pipeline.publish(after);

        Map<InstanceReceived, List<Pipeline.Out>> outcomes = pipeline.outcomes(sent.keySet(), QUIET);
        for (var s : sent.entrySet()) {
            InstanceReceived e = s.getKey();
            List<Pipeline.Out> out = outcomes.get(e);
            assertThat(out).as(s.getValue().name()).singleElement().extracting(Pipeline.Out::topic)
                    .isEqualTo(Topics.CONVERT_DLQ);
            assertThat(out.get(0).key()).isEqualTo(e.studyId());
            assertThat(out.get(0).headers()).containsEntry(EventHeaders.TYPE, DeadLetter.TYPE);
            DeadLetter d = out.get(0).deadLetter();
            assertThat(d.reason()).as(d.message()).isEqualTo(s.getValue());
            assertThat(d.stage()).isEqualTo("convert");
            assertThat(List.of(d.subjectId(), d.studyId(), d.dicomId())).containsExactly(e.subjectId(), e.studyId(), e.dicomId());
            assertThat(d.originalTopic()).isEqualTo(Topics.INSTANCE_RECEIVED);
            assertThat(d.originalEventId()).isEqualTo(e.eventId());
            assertThat(d.originalEvent().get("objectKey").asText()).isEqualTo(e.objectKey());
            assertThat(d.message()).isNotBlank();
            assertThat(store.exists(Buckets.JPG, ObjectKeys.jpg(e.subjectId(), e.studyId(), e.dicomId()))).isFalse();
        }
        List<Pipeline.Out> junk = pipeline.await(o -> junkKey.equals(o.key()), 1, Duration.ZERO);
        assertThat(junk).singleElement().extracting(Pipeline.Out::topic).isEqualTo(Topics.CONVERT_DLQ);
        DeadLetter d = junk.get(0).deadLetter();
        assertThat(d.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(d.studyId()).isNull();
        assertThat(d.originalEventId()).startsWith(Topics.INSTANCE_RECEIVED + "-");
        assertThat(d.originalEvent().get("not").asText()).isEqualTo("an event");
        assertThat(junk.get(0).headers()).doesNotContainKey(EventHeaders.SUBJECT)
                .containsEntry(EventHeaders.ID, d.eventId());
        // the stream went on
        assertConverted(after, outcome(after), good);
    }

    /** Real files of ../shared/data/dicom: the converted ones and the rejected ones, with their reasons. */
    @Test
    void convertsAndRejectsRealFiles() throws Exception {
        Path dir = SharedData.require("data/dicom");
        Map<String, FailureReason> files = new LinkedHashMap<>();
        files.put("chest/CR-MONO1-10-chest.dcm", null); // no preamble nor file meta, MONOCHROME1
        files.put("chest/NIH_CXR_DX_SC.dcm", null);
        files.put("syntax-small/JPEG2000.dcm", null);
        files.put("syntax-small/JPGExtended.dcm", null);
        files.put("syntax-small/CT_small.dcm", null); // signed
        files.put("syntax-small/MR_small_jpeg_ls_lossless.dcm", null);
        files.put("syntax-small/jpeg_lossless_sel1.dcm", null);
        files.put("syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm", FailureReason.MULTI_FRAME);
        files.put("edge-cases/MR_truncated.dcm", FailureReason.TRUNCATED);
        files.put("edge-cases/GH1339.dcm", FailureReason.TRUNCATED);
        files.put("edge-cases/GH195.dcm", FailureReason.UNSUPPORTED_IMAGE);
        files.put("edge-cases/badVR.dcm", FailureReason.MALFORMED);
        files.put("edge-cases/DX-Im-Carestream_DRX.dcm", FailureReason.NO_PIXEL_DATA);
        files.put("edge-cases/no_meta.dcm", FailureReason.NOT_DICOM);
        Map<InstanceReceived, String> sent = new LinkedHashMap<>();
        for (String f : files.keySet()) {
            InstanceReceived e = pipeline.stored(Files.readAllBytes(dir.resolve(f)));
            sent.put(e, f);
            pipeline.publish(e);
        }
        List<String> problems = new ArrayList<>();
        Map<InstanceReceived, List<Pipeline.Out>> outcomes = pipeline.outcomes(sent.keySet(), QUIET);
        for (var s : sent.entrySet()) {
            InstanceReceived e = s.getKey();
            FailureReason expected = files.get(s.getValue());
            List<Pipeline.Out> out = outcomes.get(e);
            if (expected == null) {
                InstanceConverted c = assertConverted(e, out, Files.readAllBytes(dir.resolve(s.getValue())));
                assertThat(c.metadata().rows()).isPositive();
            } else if (out.size() != 1 || !out.get(0).topic().equals(Topics.CONVERT_DLQ)
                    || out.get(0).deadLetter().reason() != expected) {
                problems.add(s.getValue() + ": expected " + expected + ", got " + out);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void isReadyAliveAndCounts() throws Exception {
        byte[] dicom = generated(11, EncodedSyntax.EXPLICIT_VR_LE).bytes();
        InstanceReceived e = pipeline.stored(dicom);
        pipeline.publish(e);
        assertConverted(e, outcome(e), dicom);
        given().get(Management.url("/health/ready")).then().statusCode(200);
        given().get(Management.url("/health/live")).then().statusCode(200);
        String ready = given().get(Management.url("/health/ready")).asString();
        assertThat(ready).contains("object-store").contains("kafka-broker").contains("instance-received");
        String metrics = given().get(Management.url("/metrics")).asString();
        assertThat(metrics).containsPattern("cxr_convert_instances_total\\{outcome=\"converted\",reason=\"none\"\\} [1-9]")
                .containsPattern("cxr_convert_decode_seconds_count [1-9]")
                .containsPattern("cxr_convert_total_seconds_count [1-9]")
                .contains("cxr_convert_in_flight ");
    }
}
