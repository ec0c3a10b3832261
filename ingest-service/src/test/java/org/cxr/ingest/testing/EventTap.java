package org.cxr.ingest.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;

/** Reads everything ingest announces on the real broker, for assertions on what was (not) announced. */
public final class EventTap {
    /** One record as consumed. */
    public record Event(String topic, String key, String value, Map<String, String> headers) {
    }

    private static EventTap instance;
    private final List<Event> events = new ArrayList<>();

    private EventTap(String bootstrap) {
        Thread t = new Thread(() -> run(bootstrap), "event-tap");
        t.setDaemon(true);
        t.start();
    }

    public static synchronized EventTap get() {
        if (instance == null) {
            instance = new EventTap(LocalInfraTestResource.endpoints().kafkaBootstrap());
        }
        return instance;
    }

    private void run(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "ingest-test-tap-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("metadata.max.age.ms", "1000");
        try (var c = new KafkaConsumer<String, String>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED, Topics.IMPORT_PROGRESS));
            while (true) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    Map<String, String> h = new java.util.LinkedHashMap<>();
                    r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
                    synchronized (events) {
                        events.add(new Event(r.topic(), r.key(), r.value(), h));
                    }
                }
            }
        }
    }

    public List<Event> matching(Predicate<Event> p) {
        synchronized (events) {
            return events.stream().filter(p).toList();
        }
    }

    /** The study events (instances and reports received); import progress is kept apart: {@link #importProgress}. */
    public List<Event> all() {
        return matching(e -> !e.topic().equals(Topics.IMPORT_PROGRESS));
    }

    /** The ImportProgress events of one import, in the order the broker gave them. */
    public List<Event> importProgress(String importId) {
        return matching(e -> e.topic().equals(Topics.IMPORT_PROGRESS) && importId.equals(e.key()));
    }

    /** Waits until at least {@code n} events match, then a quiet second more (to catch extra ones); returns them. */
    public List<Event> await(Predicate<Event> p, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (matching(p).size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        return matching(p);
    }

    /** Events about one study. */
    public static Predicate<Event> study(String topic, String studyId) {
        return e -> e.topic().equals(topic) && studyId.equals(e.key());
    }
}
