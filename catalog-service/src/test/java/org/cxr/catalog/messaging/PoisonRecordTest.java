package org.cxr.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.catalog.testing.TestEvents.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Poison records through the real broker and the service's consumer: records the catalog cannot
 * store (a ce_id longer than the dead-letter column, oversized ids and fields, a NUL character, a
 * 300 KB record) sent amid good ones are dead-lettered one by one on cxr.catalog.dlq, the good
 * ones are indexed, the channel keeps indexing what comes after, and the group's offsets are
 * committed past the poison (a restart does not replay it).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class PoisonRecordTest {
    static final int BASE = 7000;
    static final String POISON_STUDY = TestEvents.study(BASE + 100);

    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;

    @Test
    void badRecordsAreDeadLetteredOneByOneAndIndexingGoesOn() throws Exception {
        SmallDataset good = new SmallDataset(12, 31, BASE, BASE);
        List<RawEvent> poison = poison();
        List<RawEvent> all = new ArrayList<>(good.events);
        for (int i = 0; i < poison.size(); i++) {
            all.add(1 + i * all.size() / (poison.size() + 1), poison.get(i));
        }
        long before = indexer.indexedTotal();
        List<RecordMetadata> sent = KafkaTestClient.produce(all);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> indexer.indexedTotal() - before >= all.size());

        // the good records are indexed, nothing of the poison
        long goodImages = good.events.stream().filter(e -> e.topic().equals(Topics.INSTANCE_RECEIVED)).count();
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE study_id BETWEEN " + TestEvents.study(BASE)
                + " AND " + TestEvents.study(BASE + 99))).isEqualTo(12);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM image WHERE study_id BETWEEN " + TestEvents.study(BASE)
                + " AND " + TestEvents.study(BASE + 99))).isEqualTo(goodImages);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE study_id = " + POISON_STUDY)).isZero();

        // each poison record has its own dead letter, with a reason, an id that fits, a message that says why
        String ownDeadLetters = " FROM dead_letter WHERE topic = 'cxr.catalog.dlq' AND study_id = " + POISON_STUDY;
        assertThat(CatalogDb.count(ds, "SELECT count(*)" + ownDeadLetters + " AND reason = 'INVALID_EVENT'"))
                .isEqualTo(poison.size());
        assertThat(CatalogDb.count(ds, "SELECT max(length(event_id))" + ownDeadLetters)).isLessThanOrEqualTo(400);
        for (String why : List.of("the ce_id header is 1003 characters long, at most 400",
                "the ce_id header is 1005 characters long", "metadata.viewPosition is 500 characters long, at most 64",
                "objectKey is 5000 characters long, at most 300", "objectKey is 300000 characters long",
                "stage is 100 characters long, at most 16", "sopClassUid contains a NUL character")) {
            assertThat(CatalogDb.count(ds, "SELECT count(*)" + ownDeadLetters + " AND message LIKE '%" + why + "%'"))
                    .as(why).isEqualTo(1);
        }
        List<KafkaTestClient.Received> dlq = KafkaTestClient.readUntil(Topics.CATALOG_DLQ,
                l -> l.stream().filter(r -> POISON_STUDY.equals(r.key())).count() >= poison.size(), Duration.ofSeconds(60));
        List<KafkaTestClient.Received> ours = dlq.stream().filter(r -> POISON_STUDY.equals(r.key())).toList();
        assertThat(ours).hasSize(poison.size()).allSatisfy(r -> {
            assertThat(r.value()).contains("\"reason\":\"INVALID_EVENT\"");
            assertThat(r.value().length()).as("a dead letter stays small").isLessThan(80_000);
            assertThat(KafkaTestClient.header(r, "ce_id").length()).isLessThanOrEqualTo(400);
        });

        // the channel goes on, and its offsets are committed past the poison
        String later = TestEvents.study(BASE + 101);
        KafkaTestClient.produce(List.of(TestEvents.raw(Topics.INSTANCE_RECEIVED, TestEvents.received(
                TestEvents.subject(BASE + 101), later, TestEvents.dicom("after the poison"), T0))));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> CatalogDb.count(ds, "SELECT count(*) FROM study WHERE study_id = " + later) == 1);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<TopicPartition, Long> committed = KafkaTestClient.committed("catalog-service");
            for (RecordMetadata m : sent) {
                TopicPartition tp = new TopicPartition(m.topic(), m.partition());
                assertThat(committed.get(tp)).as(tp.toString()).isNotNull().isGreaterThan(m.offset());
            }
        });
    }

    /** Records that are valid JSON events but cannot be stored as they are. */
    static List<RawEvent> poison() {
        String subject = TestEvents.subject(BASE + 100);
        InstanceReceived r = TestEvents.received(subject, POISON_STUDY, TestEvents.dicom("poison:1"), T0);
        String received = EventJson.write(r);
        String converted = EventJson.write(TestEvents.converted(subject, POISON_STUDY, TestEvents.dicom("poison:2"),
                TestEvents.metadata("PA", "21800506", "1"), T0, "c1"));
        ReportReceived report = TestEvents.report(subject, POISON_STUDY, "poison", 1, T0);
        String deadLetter = EventJson.write(TestEvents.convertFailed(r, FailureReason.MULTI_FRAME));
        return List.of(
                new RawEvent(Topics.INSTANCE_RECEIVED, POISON_STUDY, received, "id-" + "x".repeat(1000), -1, -1),
                new RawEvent(Topics.CONVERT_DLQ, POISON_STUDY, deadLetter, "dead-" + "y".repeat(1000), -1, -1),
                raw(Topics.INSTANCE_CONVERTED, converted.replace("\"viewPosition\":\"PA\"",
                        "\"viewPosition\":\"" + "V".repeat(500) + "\""), "poison:converted"),
                raw(Topics.REPORT_RECEIVED, EventJson.write(report).replace(report.objectKey(), "k".repeat(5000)),
                        "poison:report"),
                raw(Topics.INSTANCE_RECEIVED, received.replace(r.objectKey(), "o".repeat(300_000)), "poison:huge"),
                raw(Topics.CONVERT_DLQ, deadLetter.replace("\"stage\":\"convert\"", "\"stage\":\"" + "s".repeat(100) + "\""),
                        "poison:stage"),
                raw(Topics.INSTANCE_RECEIVED, received.replace(r.sopClassUid(), "1.2\\u00003"), "poison:nul"));
    }

    private static RawEvent raw(String topic, String value, String ceId) {
        return new RawEvent(topic, POISON_STUDY, value, ceId, -1, -1);
    }
}
