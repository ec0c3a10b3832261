package org.cxr.label.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.label.messaging.Broker.newStudy;
import static org.cxr.label.messaging.Broker.newSubject;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.label.messaging.Broker.Out;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Records that could stop label or loop forever, against the real broker and S3 server: each
 * becomes one dead letter with its reason (and attempt history), and the stream goes on.
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class PoisonRecordsTest {
    /** Long enough for a second outcome of one record to show up (attempts follow each other at once). */
    static final Duration QUIET = Duration.ofSeconds(1);
    private static final byte[] GOOD = "IMPRESSION: Small left pleural effusion.".getBytes(StandardCharsets.UTF_8);
    private static final byte[] POISONED = ("IMPRESSION: " + PoisonedPipeline.MARKER + " No pneumothorax.")
            .getBytes(StandardCharsets.UTF_8);

    private final Broker broker = Broker.get();

    @Inject
    ObjectStore store;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** The outcomes of these events, each awaited, then {@link #QUIET} for any second one. */
    private Map<String, List<Out>> outcomes(ReportReceived... events) throws InterruptedException {
        return broker.awaitEach(Stream.of(events).map(ReportReceived::studyId).toList(), QUIET);
    }

    private static DeadLetter onlyDeadLetter(Map<String, List<Out>> outcomes, ReportReceived e) {
        List<Out> out = outcomes.get(e.studyId());
        assertThat(out).as("outcomes of %s", e.studyId()).singleElement().extracting(Out::topic).isEqualTo(Topics.LABEL_DLQ);
        return EventJson.read(out.get(0).value(), DeadLetter.class);
    }

    private static ReportLabelled onlyLabels(Map<String, List<Out>> outcomes, ReportReceived e) {
        List<Out> out = outcomes.get(e.studyId());
        assertThat(out).as("outcomes of %s", e.studyId()).singleElement().extracting(Out::topic)
                .isEqualTo(Topics.REPORT_LABELLED);
        return EventJson.read(out.get(0).value(), ReportLabelled.class);
    }

    /** A good report, sent right after a poison record. */
    private ReportReceived next() {
        ReportReceived after = Broker.stored(store, newSubject(), newStudy(), GOOD);
        broker.send(after);
        return after;
    }

    /** The report sent after the poison record was labelled: the stream went on. */
    private static void streamWentOn(Map<String, List<Out>> outcomes, ReportReceived after) {
        assertThat(onlyLabels(outcomes, after).chexpert().get(Observation.PLEURAL_EFFUSION)).isEqualTo(1.0);
    }

    @Test
    void anErrorThrownWhileLabellingIsTriedThreeTimesThenParkedWithItsHistory() throws Exception {
        ReportReceived e = Broker.stored(store, newSubject(), newStudy(), POISONED);
        double before = Metrics.value(metrics, "cxr_label_reports_total{outcome=\"dead_letter\",reason=\"INTERNAL_ERROR\",section=\"none\"}");
        broker.send(e);
        ReportReceived after = next();
        Map<String, List<Out>> out = outcomes(e, after);
        DeadLetter d = onlyDeadLetter(out, e);
        assertThat(d.reason()).isEqualTo(FailureReason.INTERNAL_ERROR);
        assertThat(d.stage()).isEqualTo("label");
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.history()).extracting(DeliveryAttempt::number).containsExactly(1, 2, 3);
        assertThat(d.history()).extracting(DeliveryAttempt::outcome).containsOnly(DeliveryAttempt.FAILED);
        assertThat(d.history()).extracting(DeliveryAttempt::error)
                .allMatch(m -> m.startsWith("java.lang.StackOverflowError: poisoned by the test"));
        assertThat(d.message()).contains("3 attempts").contains("StackOverflowError");
        assertThat(d.originalEventId()).isEqualTo(e.eventId());
        assertThat(d.originalTopic()).isEqualTo(Topics.REPORT_RECEIVED);
        assertThat(List.of(d.subjectId(), d.studyId())).containsExactly(e.subjectId(), e.studyId());
        assertThat(Metrics.value(metrics, "cxr_label_reports_total{outcome=\"dead_letter\",reason=\"INTERNAL_ERROR\",section=\"none\"}"))
                .isEqualTo(before + 1);
        streamWentOn(out, after);
    }

    @Test
    void aRedrivenRecordIsLabelledOnceAndAPoisonedOneKeepsCounting() throws Exception {
        ReportReceived fixed = Broker.stored(store, newSubject(), newStudy(), GOOD);
        broker.send(Topics.LABEL_REDRIVE, fixed.studyId(), EventJson.write(fixed),
                Map.of(EventHeaders.ID, fixed.eventId(), EventHeaders.ATTEMPTS, "3"));
        ReportReceived still = Broker.stored(store, newSubject(), newStudy(), POISONED);
        broker.send(Topics.LABEL_REDRIVE, still.studyId(), EventJson.write(still),
                Map.of(EventHeaders.ID, still.eventId(), EventHeaders.ATTEMPTS, "3"));
        Map<String, List<Out>> out = outcomes(fixed, still);

        ReportLabelled l = onlyLabels(out, fixed);
        assertThat(l.reportSha256()).isEqualTo(fixed.sha256());
        assertThat(l.chexpert().get(Observation.PLEURAL_EFFUSION)).isEqualTo(1.0);
        DeadLetter d = onlyDeadLetter(out, still);
        assertThat(d.reason()).isEqualTo(FailureReason.INTERNAL_ERROR);
        assertThat(d.attempts()).isEqualTo(6);
        assertThat(d.history()).extracting(DeliveryAttempt::number).containsExactly(4, 5, 6);
        assertThat(d.originalTopic()).isEqualTo(Topics.LABEL_REDRIVE);
    }

    @Test
    void anEventPointingAtAnotherObjectThanItsIdsImplyIsInvalidAndNothingIsLabelled() throws Exception {
        // a real report of another study, and events that name it, or their own key in another bucket
        // (onlyDeadLetter: a dead letter is the only outcome, nothing was labelled)
        ReportReceived victim = Broker.stored(store, newSubject(), newStudy(), GOOD);
        String subject = newSubject();
        String study = newStudy();
        ReportReceived forgedKey = new ReportReceived(ReportReceived.SCHEMA_VERSION, subject, study, Buckets.REPORTS,
                victim.objectKey(), victim.sha256(), victim.sizeBytes(), 1, Source.IMPORT, victim.receivedAt());
        ReportReceived own = Broker.stored(store, newSubject(), newStudy(), GOOD);
        ReportReceived forgedBucket = new ReportReceived(ReportReceived.SCHEMA_VERSION, own.subjectId(), own.studyId(),
                Buckets.RAW, own.objectKey(), own.sha256(), own.sizeBytes(), 1, Source.IMPORT, own.receivedAt());
        broker.send(forgedKey);
        broker.send(forgedBucket);
        Map<String, List<Out>> out = outcomes(forgedKey, forgedBucket);

        DeadLetter d = onlyDeadLetter(out, forgedKey);
        assertThat(d.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(d.message()).contains(victim.objectKey()).contains(ObjectKeys.report(subject, study));
        assertThat(d.attempts()).isNull(); // an answer about the event, not a retried failure
        DeadLetter b = onlyDeadLetter(out, forgedBucket);
        assertThat(b.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(b.message()).contains(Buckets.RAW + "/").contains(Buckets.REPORTS + "/" + own.objectKey());
    }

    @Test
    void aReportOverTheLimitIsDeadLetteredAtOnce() throws Exception {
        byte[] big = new byte[(1 << 20) + 1]; // cxr.label.max-report-bytes is 1 MiB
        Arrays.fill(big, (byte) 'x');
        ReportReceived e = Broker.stored(store, newSubject(), newStudy(), big);
        broker.send(e);
        DeadLetter d = onlyDeadLetter(outcomes(e), e);
        assertThat(d.reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(d.attempts()).isNull();
        assertThat(d.message()).contains("over the limit of 1048576 bytes");
    }

    @Test
    void aCeIdLongerThanAnyIdIsDeadLetteredInvalidWithoutLabelling() throws Exception {
        ReportReceived e = Broker.stored(store, newSubject(), newStudy(), GOOD);
        broker.send(Topics.REPORT_RECEIVED, e.studyId(), EventJson.write(e),
                Map.of(EventHeaders.ID, "report-received:" + "9".repeat(5000)));
        ReportReceived after = next();
        Map<String, List<Out>> out = outcomes(e, after);
        DeadLetter d = onlyDeadLetter(out, e);
        assertThat(d.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(d.message()).startsWith("ce_id of 5016 bytes");
        assertThat(d.originalEventId()).isEqualTo(e.eventId());
        assertThat(d.eventId()).hasSizeLessThan(400); // fits the catalog's dead-letter id column
        streamWentOn(out, after);
    }
}
