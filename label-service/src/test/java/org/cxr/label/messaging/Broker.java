package org.cxr.label.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.Buckets;
import org.cxr.events.EventJson;
import org.cxr.events.ObjectKeys;
import org.cxr.events.ReportReceived;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;

/**
 * The test's side of the real broker, shared by the service's test classes: a producer for the
 * input and redrive topics, and a tap that records everything label-service emits.
 */
final class Broker {
    /** One record label-service emitted. */
    record Out(String topic, String key, String value, Map<String, String> headers) {
    }

    private static Broker instance;

    private final List<Out> out = new ArrayList<>();
    private final KafkaProducer<String, String> producer;

    private Broker() {
        String bootstrap = LocalInfraTestResource.endpoints().kafkaBootstrap();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Thread tap = new Thread(() -> tap(bootstrap), "label-test-tap");
        tap.setDaemon(true); // reads until the test JVM exits
        tap.start();
    }

    static synchronized Broker get() {
        if (instance == null) {
            instance = new Broker();
        }
        return instance;
    }

    private void tap(String bootstrap) {
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "label-test-tap-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        c.put("metadata.max.age.ms", "1000");
        try (var consumer = new KafkaConsumer<String, String>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.REPORT_LABELLED, Topics.LABEL_DLQ));
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> h = new LinkedHashMap<>();
                    r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
                    synchronized (out) {
                        out.add(new Out(r.topic(), r.key(), r.value(), h));
                    }
                }
            }
        }
    }

    /**
     * What label-service emitted that matches, once there are at least {@code n} such records (or
     * after a minute), and after a further {@code quiet} in which more would have shown up.
     */
    List<Out> await(Predicate<Out> p, int n, Duration quiet) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && matching(p).size() < n) {
            Thread.sleep(100);
        }
        Thread.sleep(quiet.toMillis());
        return matching(p);
    }

    List<Out> await(Predicate<Out> p, int n) throws InterruptedException {
        return await(p, n, Duration.ofMillis(500));
    }

    /**
     * What label-service emitted under each key, once every key has an outcome (or after a
     * minute), and after a further {@code quiet} in which a second outcome would have shown up.
     */
    Map<String, List<Out>> awaitEach(Collection<String> keys, Duration quiet) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && byKey(keys).size() < keys.size()) {
            Thread.sleep(100);
        }
        Thread.sleep(quiet.toMillis());
        return byKey(keys);
    }

    private Map<String, List<Out>> byKey(Collection<String> keys) {
        return matching(o -> keys.contains(o.key())).stream().collect(Collectors.groupingBy(Out::key));
    }

    private List<Out> matching(Predicate<Out> p) {
        synchronized (out) {
            return out.stream().filter(p).toList();
        }
    }

    void send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(r);
        producer.flush();
    }

    void send(String key, String value) {
        send(Topics.REPORT_RECEIVED, key, value, Map.of());
    }

    void send(ReportReceived e) {
        send(e.studyId(), EventJson.write(e));
    }

    static String newStudy() {
        return String.valueOf(50_000_000 + ThreadLocalRandom.current().nextInt(10_000_000));
    }

    static String newSubject() {
        return String.valueOf(10_000_000 + ThreadLocalRandom.current().nextInt(10_000_000));
    }

    /** The event ingest would send for this report, stored at its key (nothing stored for null). */
    static ReportReceived stored(ObjectStore store, String subject, String study, byte[] report) {
        String key = ObjectKeys.report(subject, study);
        if (report != null) {
            store.put(Buckets.REPORTS, key, report, "text/plain", Map.of());
        }
        return new ReportReceived(ReportReceived.SCHEMA_VERSION, subject, study, Buckets.REPORTS, key,
                ReportLabelling.sha256(report == null ? new byte[0] : report), report == null ? 0 : report.length, 1,
                Source.IMPORT, Instant.now());
    }
}
