package org.cxr.label.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The service against a real Kafka broker and S3 server (LocalInfraTestResource). */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class LabelServiceTest {
    private static final String REPORT = """
                                             FINAL REPORT
             EXAMINATION:  CHEST (PA AND LAT)
             \s
             INDICATION:  ___M with fever
             \s
             FINDINGS:\s
             \s
             Heart size is normal.  Patchy opacity at the left base.
             \s
             IMPRESSION:\s
             \s
             Left lower lobe pneumonia. No pleural effusion.
            """;

    /** Everything label-service emits, read from the broker by the test. */
    record Out(String topic, String key, String value, Map<String, String> headers) {
    }

    private static final List<Out> OUT = new ArrayList<>();
    private static volatile boolean tapping = true;
    private static KafkaProducer<String, String> producer;

    @Inject
    ObjectStore store;

    @Inject
    ReportPipeline pipeline;

    @BeforeAll
    static void connect() {
        String bootstrap = LocalInfraTestResource.endpoints().kafkaBootstrap();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Thread tap = new Thread(() -> {
            Properties c = new Properties();
            c.put("bootstrap.servers", bootstrap);
            c.put("group.id", "label-test-tap-" + UUID.randomUUID());
            c.put("auto.offset.reset", "earliest");
            c.put("metadata.max.age.ms", "1000");
            try (var consumer = new KafkaConsumer<String, String>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.REPORT_LABELLED, Topics.LABEL_DLQ));
                while (tapping) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        Map<String, String> h = new java.util.LinkedHashMap<>();
                        r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
                        synchronized (OUT) {
                            OUT.add(new Out(r.topic(), r.key(), r.value(), h));
                        }
                    }
                }
            }
        }, "label-test-tap");
        tap.setDaemon(true);
        tap.start();
    }

    @AfterAll
    static void close() {
        tapping = false;
        producer.close();
    }

    private static List<Out> await(Predicate<Out> p, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (OUT) {
                if (OUT.stream().filter(p).count() >= n) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        Thread.sleep(500);
        synchronized (OUT) {
            return OUT.stream().filter(p).toList();
        }
    }

    private static String newStudy() {
        return String.valueOf(50_000_000 + ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private static String newSubject() {
        return String.valueOf(10_000_000 + ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private ReportReceived stored(String subject, String study, byte[] report) {
        String key = ObjectKeys.report(subject, study);
        if (report != null) {
            store.put(Buckets.REPORTS, key, report, "text/plain", Map.of());
        }
        return new ReportReceived(ReportReceived.SCHEMA_VERSION, subject, study, Buckets.REPORTS, key,
                ReportLabelling.sha256(report == null ? new byte[0] : report), report == null ? 0 : report.length, 1,
                Source.IMPORT, Instant.now());
    }

    private static void send(String key, String value) {
        producer.send(new ProducerRecord<>(Topics.REPORT_RECEIVED, key, value));
        producer.flush();
    }

    private static void send(ReportReceived e) {
        send(e.studyId(), EventJson.write(e));
    }

    @Test
    void labelsTheReportOfAReceivedEvent() throws InterruptedException {
        ReportReceived e = stored(newSubject(), newStudy(), REPORT.getBytes(StandardCharsets.UTF_8));
        send(e);
        List<Out> out = await(o -> e.studyId().equals(o.key()), 1);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo(Topics.REPORT_LABELLED);
            assertThat(o.headers()).containsEntry(EventHeaders.TYPE, ReportLabelled.TYPE)
                    .containsEntry(EventHeaders.SOURCE, "/cxr/label-service").containsEntry(EventHeaders.SUBJECT, e.studyId());
            ReportLabelled l = EventJson.read(o.value(), ReportLabelled.class);
            assertThat(o.headers()).containsEntry(EventHeaders.ID, l.eventId());
            assertThat(l.subjectId()).isEqualTo(e.subjectId());
            assertThat(l.reportKey()).isEqualTo(e.objectKey());
            assertThat(l.reportSha256()).isEqualTo(e.sha256());
            assertThat(l.section()).isEqualTo(ReportSection.IMPRESSION);
            assertThat(l.sectionText()).isEqualTo("Left lower lobe pneumonia. No pleural effusion.");
            assertThat(l.chexpert().get(Observation.PNEUMONIA)).isEqualTo(1.0);
            assertThat(l.chexpert().get(Observation.PLEURAL_EFFUSION)).isEqualTo(0.0);
            assertThat(l.chexpert().get(Observation.NO_FINDING)).isNull();
            assertThat(l.negbio()).isEqualTo(l.chexpert());
            // each kept mention is a span of the section text, for highlighting it on the study page
            assertThat(l.mentions()).extracting(m -> m.observation() + " '" + l.sectionText().substring(m.start(), m.end()) + "' "
                    + m.value()).containsExactly("Pneumonia 'pneumonia' 1.0", "Pleural Effusion 'effusion' 0.0");
            assertThat(l.labelerVersion()).isEqualTo(pipeline.version()).startsWith("cxr-label/1.0 rules v1 sha256:");
        });
    }

    @Test
    void aRedeliveredEventRepeatsTheSameFact() throws InterruptedException {
        ReportReceived e = stored(newSubject(), newStudy(), "IMPRESSION: Possible small left effusion.".getBytes(StandardCharsets.UTF_8));
        send(e);
        send(e);
        List<Out> out = await(o -> e.studyId().equals(o.key()), 2);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).headers().get(EventHeaders.ID)).isEqualTo(out.get(1).headers().get(EventHeaders.ID));
        ReportLabelled a = EventJson.read(out.get(0).value(), ReportLabelled.class);
        ReportLabelled b = EventJson.read(out.get(1).value(), ReportLabelled.class);
        assertThat(b).usingRecursiveComparison().ignoringFields("labelledAt").isEqualTo(a);
        assertThat(a.chexpert().get(Observation.PLEURAL_EFFUSION)).isEqualTo(-1.0);
    }

    @Test
    void aReportWithoutLabellableTextGivesSectionNoneAndNoLabels() throws InterruptedException {
        ReportReceived e = stored(newSubject(), newStudy(), "One paragraph without headers.".getBytes(StandardCharsets.UTF_8));
        send(e);
        ReportLabelled l = EventJson.read(await(o -> e.studyId().equals(o.key()), 1).get(0).value(), ReportLabelled.class);
        assertThat(l.section()).isEqualTo(ReportSection.NONE);
        assertThat(l.sectionText()).isEmpty();
        assertThat(l.chexpert()).isNull();
        assertThat(l.negbio()).isNull();
    }

    @Test
    void badReportsAreDeadLetteredWithTheirReason() throws InterruptedException {
        ReportReceived empty = stored(newSubject(), newStudy(), " \n \n".getBytes(StandardCharsets.UTF_8));
        ReportReceived binary = stored(newSubject(), newStudy(), new byte[] {'I', 'M', (byte) 0xff, (byte) 0xfe, 0, 1});
        ReportReceived missing = stored(newSubject(), newStudy(), null);
        String junkKey = "junk-" + UUID.randomUUID();
        send(empty);
        send(binary);
        send(missing);
        send(junkKey, "{\"not\": \"an event\"}");
        assertThat(deadLetter(empty.studyId()).reason()).isEqualTo(FailureReason.EMPTY_REPORT);
        assertThat(deadLetter(binary.studyId()).reason()).isEqualTo(FailureReason.UNDECODABLE_REPORT);
        DeadLetter gone = deadLetter(missing.studyId());
        assertThat(gone.reason()).isEqualTo(FailureReason.OBJECT_MISSING);
        assertThat(gone.stage()).isEqualTo("label");
        assertThat(gone.originalTopic()).isEqualTo(Topics.REPORT_RECEIVED);
        assertThat(gone.originalEventId()).isEqualTo(missing.eventId());
        assertThat(gone.originalEvent().get("objectKey").asText()).isEqualTo(missing.objectKey());
        DeadLetter junk = deadLetter(junkKey);
        assertThat(junk.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(junk.studyId()).isNull();
        assertThat(junk.originalEvent().get("not").asText()).isEqualTo("an event");
        // its own id (the incoming record's), not one shared by every unreadable record
        assertThat(junk.originalEventId()).startsWith(Topics.REPORT_RECEIVED + "-").contains("@");
        assertThat(junk.eventId()).doesNotEndWith(":null");
        // both outcomes are exported under one metric name (same tag keys)
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("cxr_label_reports_total{outcome=\"dead_letter\",reason=\"INVALID_EVENT\""))
                .body(org.hamcrest.Matchers.containsString("cxr_label_reports_total{outcome=\"dead_letter\",reason=\"EMPTY_REPORT\""));
        // nothing was labelled for them
        assertThat(await(o -> o.topic().equals(Topics.REPORT_LABELLED) && (o.key().equals(empty.studyId())
                || o.key().equals(binary.studyId()) || o.key().equals(missing.studyId())), 0)).isEmpty();
    }

    private static DeadLetter deadLetter(String key) throws InterruptedException {
        List<Out> out = await(o -> o.topic().equals(Topics.LABEL_DLQ) && key.equals(o.key()), 1);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).headers()).containsEntry(EventHeaders.TYPE, DeadLetter.TYPE);
        return EventJson.read(out.get(0).value(), DeadLetter.class);
    }

    @Test
    void isReadyWithBrokerAndObjectStore() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
