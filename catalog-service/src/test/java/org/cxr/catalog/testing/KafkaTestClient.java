package org.cxr.catalog.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.events.CxrEvent;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.TopicTap;

/** Produces events to and reads records from the test broker. */
public final class KafkaTestClient {
    /** One record as consumed (headers by name, the last of a name). */
    public record Received(String topic, String key, String value, Map<String, String> headers) {
    }

    private static final Map<String, TopicTap<Received>> TAPS = new ConcurrentHashMap<>();

    private KafkaTestClient() {
    }

    public static String bootstrap() {
        return LocalInfraTestResource.endpoints().kafkaBootstrap();
    }

    /** Sends records as the producing services do (key = study id, CloudEvents headers); where each went. */
    public static List<RecordMetadata> produce(List<RawEvent> events) throws Exception {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrap());
        cfg.put("linger.ms", 5);
        cfg.put("batch.size", 256 * 1024);
        cfg.put("acks", "all");
        try (var producer = new KafkaProducer<String, String>(cfg, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (RawEvent e : events) {
                ProducerRecord<String, String> r = new ProducerRecord<>(e.topic(), e.key(), e.value());
                if (e.ceId() != null) {
                    r.headers().add(EventHeaders.ID, e.ceId().getBytes(StandardCharsets.UTF_8));
                }
                sent.add(producer.send(r));
            }
            producer.flush();
            List<RecordMetadata> out = new ArrayList<>();
            for (var f : sent) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        }
    }

    /** The offsets a consumer group committed, by partition (absent: none committed). */
    public static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (o != null) {
                            out.put(tp, o.offset());
                        }
                    });
            return out;
        }
    }

    /** The sum of a topic's end offsets (records ever written to it, with nothing deleted). */
    public static long endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            var d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
            d.partitions().forEach(p -> specs.put(new TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        }
    }

    public static void produceEvents(String topic, List<? extends CxrEvent> events) throws Exception {
        produce(events.stream().map(e -> new RawEvent(topic, e.studyId(), EventJson.write(e), e.eventId(), -1, -1)).toList());
    }

    /**
     * The records of a topic (all of them, from its beginning) once {@code done} holds for them or
     * the timeout has passed; the first call for a topic starts its tap.
     */
    public static List<Received> readUntil(String topic, Predicate<List<Received>> done, Duration timeout) {
        var tap = TAPS.computeIfAbsent(topic, t -> TopicTap.start(bootstrap(), "catalog-test-tap", List.of(t), Received::new));
        try {
            return tap.until(r -> true, done, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + topic, e);
        }
    }

    public static String header(Received r, String name) {
        return r.headers().get(name);
    }
}
