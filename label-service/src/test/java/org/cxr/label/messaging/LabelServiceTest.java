package org.cxr.label.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.label.messaging.Broker.newStudy;
import static org.cxr.label.messaging.Broker.newSubject;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.cxr.events.DeadLetter;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.messaging.Broker.Out;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
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

    private final Broker broker = Broker.get();

    @Inject
    ObjectStore store;

    @Inject
    ReportPipeline pipeline;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private List<Out> await(Predicate<Out> p, int n) throws InterruptedException {
        return broker.await(p, n);
    }

    private ReportReceived stored(String subject, String study, byte[] report) {
        return Broker.stored(store, subject, study, report);
    }

    private void send(String key, String value) {
        broker.send(key, value);
    }

    private void send(ReportReceived e) {
        broker.send(e);
    }

    @Test
    void labelsTheReportOfAReceivedEvent() throws InterruptedException {
        ReportReceived e = stored(newSubject(), newStudy(), REPORT.getBytes(StandardCharsets.UTF_8));
        double timed = Metrics.value(metrics, "cxr_label_report_duration_seconds_count");
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
        // its duration went into a histogram with buckets (percentiles across replicas), 1 ms to a minute
        double count = Metrics.value(metrics, "cxr_label_report_duration_seconds_count");
        assertThat(count).isGreaterThanOrEqualTo(timed + 1);
        assertThat(Metrics.value(metrics, "cxr_label_report_duration_seconds_bucket{le=\"+Inf\"}")).isEqualTo(count);
        assertThat(Metrics.scrape(metrics).lines().filter(x -> x.startsWith("cxr_label_report_duration_seconds_bucket{")))
                .hasSizeGreaterThan(10).anyMatch(x -> x.startsWith("cxr_label_report_duration_seconds_bucket{le=\"0.001\"}"));
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
        given().when().get(metrics.toString()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("cxr_label_reports_total{outcome=\"dead_letter\",reason=\"INVALID_EVENT\""))
                .body(org.hamcrest.Matchers.containsString("cxr_label_reports_total{outcome=\"dead_letter\",reason=\"EMPTY_REPORT\""));
        // nothing was labelled for them
        assertThat(await(o -> o.topic().equals(Topics.REPORT_LABELLED) && (o.key().equals(empty.studyId())
                || o.key().equals(binary.studyId()) || o.key().equals(missing.studyId())), 0)).isEmpty();
    }

    private DeadLetter deadLetter(String key) throws InterruptedException {
        List<Out> out = await(o -> o.topic().equals(Topics.LABEL_DLQ) && key.equals(o.key()), 1);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).headers()).containsEntry(EventHeaders.TYPE, DeadLetter.TYPE);
        return EventJson.read(out.get(0).value(), DeadLetter.class);
    }
}
