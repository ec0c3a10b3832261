package org.cxr.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.EventJson;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The catalog's batch consumer, with the configuration it ships with: what it logs about one record
 * of a batch carries that record's trace id (each record's span: {@link RecordSpansTest}), and what
 * the record causes in the outbox goes on in its trace (the study-indexed event of its study, the
 * dead letter of an invalid record: header {@code traceparent}).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class IndexingTraceTest {
    static final String TRACE_GOOD = "5b8aa5a2d2c872e8321cf37308d69df2";
    static final String TRACE_BAD = "7c1a2b3c4d5e6f708192a3b4c5d6e7f8";

    @Inject
    CatalogIndexer indexer;

    @Test
    void theLogLinesAboutARecordCarryItsTraceId() throws Exception {
        String good = TestEvents.study(8801);
        String bad = TestEvents.study(8802);
        // trace id of each warning about a study, by the studyId of the log line's MDC
        Map<String, String> traceOfStudy = new ConcurrentHashMap<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                ExtLogRecord e = (ExtLogRecord) r;
                String study = e.getMdc("studyId");
                if (study != null) {
                    traceOfStudy.put(study, String.valueOf(e.getMdc("traceId")));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(CatalogIndexer.class.getName());
        log.addHandler(capture);
        long before = indexer.indexedTotal();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                KafkaTestClient.bootstrap()), new StringSerializer(), new StringSerializer())) {
            String valid = EventJson.write(TestEvents.received(TestEvents.subject(8801), good,
                    TestEvents.dicom("trace-good"), TestEvents.T0));
            for (var r : List.of(record(good, valid, TRACE_GOOD), record(bad, "{\"not\": \"an event\"}", TRACE_BAD))) {
                producer.send(r).get();
            }
        }
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> indexer.indexedTotal() - before >= 2
                    && traceOfStudy.containsKey(bad));
        } finally {
            log.removeHandler(capture);
        }
        // the invalid record's warning is in its own trace; nothing is logged about the good one
        assertThat(traceOfStudy).containsEntry(bad, TRACE_BAD).doesNotContainKey(good);

        // version-traceId-spanId-flags: each record's trace goes on in what the outbox sends for it
        assertThat(traceparentOf(Topics.STUDY_INDEXED, good)).matches("00-" + TRACE_GOOD + "-[0-9a-f]{16}-01");
        assertThat(traceparentOf(Topics.CATALOG_DLQ, bad)).matches("00-" + TRACE_BAD + "-[0-9a-f]{16}-01");
    }

    private static String traceparentOf(String topic, String study) {
        var records = KafkaTestClient.readUntil(topic, l -> l.stream().anyMatch(r -> study.equals(r.key())),
                Duration.ofSeconds(30));
        return records.stream().filter(r -> study.equals(r.key())).map(r -> KafkaTestClient.header(r, RecordSpans.TRACEPARENT))
                .findFirst().orElseThrow(() -> new AssertionError("nothing on " + topic + " for " + study));
    }

    private static ProducerRecord<String, String> record(String key, String value, String trace) {
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.INSTANCE_RECEIVED, key, value);
        r.headers().add(RecordSpans.TRACEPARENT, ("00-" + trace + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
