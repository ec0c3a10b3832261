package org.cxr.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.messaging.CatalogEventsConsumer;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.service.ReleaseService;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * End to end through a real broker: events produced to the topics are indexed by the service's
 * consumer; then the catalog is emptied and every topic is replayed from the beginning (a new
 * consumer group), once as polled and once topic by topic in reverse order. Each time the release
 * CSVs are byte-identical. Also checks what the service publishes (study-indexed, catalog DLQ).
 * Other tests of the same JVM may write to the input topics too, so the replay starts at the end
 * offsets the topics had before this test produced.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class KafkaReplayTest {
    static final List<String> INPUT = List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED,
            Topics.INSTANCE_CONVERTED, Topics.REPORT_LABELLED, Topics.CONVERT_DLQ, Topics.LABEL_DLQ);

    @Inject
    CatalogIndexer indexer;
    @Inject
    AgroalDataSource ds;
    @Inject
    ReleaseService releases;

    @Test
    void replayingEveryTopicIntoAnEmptyCatalogGivesByteIdenticalCsvs(@TempDir Path tmp) throws Exception {
        CatalogDb.reset(ds);
        SmallDataset data = new SmallDataset(120, 21, 800, 800);
        List<RawEvent> events = new ArrayList<>(data.events);
        events.add(new RawEvent(Topics.INSTANCE_RECEIVED, "50000800", "{\"schemaVersion\":1,\"oops\":true}",
                "bad-record-1", -1, -1));
        long before = indexer.indexedTotal();
        // other test classes of this JVM may have written to the same topics: replay from here
        Map<TopicPartition, Long> start = endOffsets();
        KafkaTestClient.produce(events);

        // 1. live: the service's consumer indexes them
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> indexer.indexedTotal() - before >= events.size());
        List<String> live = CatalogDb.content(ds);
        Path a = release(tmp.resolve("live"));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study")).isEqualTo(120);

        // what the service published
        Set<String> completeStudies = new TreeSet<>();
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT study_id FROM study WHERE state = 'COMPLETE'")) {
            while (rs.next()) {
                completeStudies.add(rs.getString(1));
            }
        }
        Function<List<KafkaTestClient.Received>, Set<String>> announced = l -> l.stream()
                .filter(r -> completeStudies.contains(r.key()) && r.value().contains("\"state\":\"COMPLETE\""))
                .map(KafkaTestClient.Received::key).collect(Collectors.toCollection(TreeSet::new));
        var indexed = KafkaTestClient.readUntil(Topics.STUDY_INDEXED,
                l -> announced.apply(l).size() >= completeStudies.size(), Duration.ofSeconds(60));
        assertThat(announced.apply(indexed)).as("every complete study was announced on cxr.study-indexed")
                .isEqualTo(completeStudies);
        var dlq = KafkaTestClient.readUntil(Topics.CATALOG_DLQ, l -> l.stream()
                .anyMatch(r -> r.value().contains("bad-record-1")), Duration.ofSeconds(60));
        var bad = dlq.stream().filter(r -> r.value().contains("bad-record-1")).findFirst().orElseThrow();
        assertThat(bad.value()).contains("\"reason\":\"INVALID_EVENT\"").contains("\"stage\":\"catalog\"");
        assertThat(bad.key()).isEqualTo("50000800");
        assertThat(KafkaTestClient.header(bad, "ce_id")).isEqualTo("dead-letter:catalog:bad-record-1");

        // 2. empty catalog, replay every topic from the beginning with a new consumer group
        CatalogDb.reset(ds);
        List<List<RawEvent>> polls = readAll(start);
        int n = 0;
        for (List<RawEvent> batch : polls) {
            indexer.index(batch);
            n += batch.size();
        }
        assertThat(n).isEqualTo(events.size());
        List<String> replayed = CatalogDb.content(ds);
        assertThat(replayed).as(CatalogDb.diff(live, replayed)).isEqualTo(live);
        assertSameCsvs(a, release(tmp.resolve("replay")));

        // 3. again, topic by topic in reverse order (labels before reports before images ...)
        CatalogDb.reset(ds);
        List<RawEvent> all = new ArrayList<>();
        polls.forEach(all::addAll);
        all.sort(Comparator.comparing((RawEvent e) -> -INPUT.indexOf(e.topic())).thenComparingLong(RawEvent::offset));
        for (int i = 0; i < all.size(); i += 97) {
            indexer.index(all.subList(i, Math.min(all.size(), i + 97)));
        }
        List<String> reversed = CatalogDb.content(ds);
        assertThat(reversed).as(CatalogDb.diff(live, reversed)).isEqualTo(live);
        assertSameCsvs(a, release(tmp.resolve("reversed")));
    }

    private Path release(Path out) throws Exception {
        releases.write(ReleaseSelection.full(), new FolderReleaseSink(out), false, 1, null);
        return out;
    }

    private static void assertSameCsvs(Path a, Path b) throws Exception {
        for (String f : List.of(ReleaseFiles.METADATA, ReleaseFiles.SPLIT, ReleaseFiles.CHEXPERT, ReleaseFiles.NEGBIO,
                ReleaseFiles.IMAGE_FILENAMES, ReleaseFiles.README)) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    /** Every record of the input topics from {@code start} on, poll by poll, with a fresh consumer. */
    private static List<List<RawEvent>> readAll(Map<TopicPartition, Long> start) {
        List<List<RawEvent>> polls = new ArrayList<>();
        try (var c = consumer()) {
            c.assign(start.keySet());
            start.forEach(c::seek);
            int empty = 0;
            while (empty < 10) {
                var records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    empty++;
                    continue;
                }
                empty = 0;
                polls.add(CatalogEventsConsumer.toRawEvents(records));
            }
        }
        return polls;
    }

    /** The end offset of every partition of the input topics. */
    private static Map<TopicPartition, Long> endOffsets() {
        try (var c = consumer()) {
            List<TopicPartition> partitions = INPUT.stream().flatMap(t -> c.partitionsFor(t).stream())
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            return new HashMap<>(c.endOffsets(partitions));
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestClient.bootstrap());
        p.put("group.id", "catalog-replay-" + UUID.randomUUID());
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "150");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
