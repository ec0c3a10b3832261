package org.cxr.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test's side of a real (plaintext) broker: a daemon thread that records every record of some
 * topics from the beginning, as the test's own type {@code T}, and a producer for the topics the
 * service under test reads. One per test JVM is enough (the records are kept until it exits).
 *
 * @param <T> what a recorded record becomes (e.g. a record with the service's event accessors)
 */
public final class TopicTap<T> {
    /** Makes the test's value of one consumed record. */
    @FunctionalInterface
    public interface Recorder<T> {
        T record(String topic, String key, String value, Map<String, String> headers);
    }

    private final List<T> seen = new ArrayList<>();
    private final String bootstrap;
    /** Made on the first {@link #send} (a tap that only reads needs none). */
    private KafkaProducer<String, String> producer;

    private TopicTap(String bootstrap, String name, Collection<String> topics, Recorder<T> recorder) {
        this.bootstrap = bootstrap;
        Thread tap = new Thread(() -> read(bootstrap, name, List.copyOf(topics), recorder), name);
        tap.setDaemon(true); // reads until the test JVM exits
        tap.start();
    }

    /** Starts recording {@code topics} (from their beginning) under a fresh consumer group named after {@code name}. */
    public static <T> TopicTap<T> start(String bootstrap, String name, Collection<String> topics, Recorder<T> recorder) {
        return new TopicTap<>(bootstrap, name, topics, recorder);
    }

    private void read(String bootstrap, String name, List<String> topics, Recorder<T> recorder) {
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", name + "-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        c.put("metadata.max.age.ms", "1000");
        try (var consumer = new KafkaConsumer<String, String>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(topics);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> h = new LinkedHashMap<>();
                    r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
                    T t = recorder.record(r.topic(), r.key(), r.value(), h);
                    synchronized (seen) {
                        seen.add(t);
                    }
                }
            }
        }
    }

    /** The records seen so far that match. */
    public List<T> matching(Predicate<T> p) {
        synchronized (seen) {
            return seen.stream().filter(p).toList();
        }
    }

    /** Waits (up to a minute) until {@code n} records match, then a quiet {@code settle} more to catch extra ones. */
    public List<T> await(Predicate<T> p, int n, Duration settle) throws InterruptedException {
        return await(p, n, settle, Duration.ofMinutes(1));
    }

    /** Waits (up to {@code timeout}) until {@code n} records match, then a quiet {@code settle} more to catch extra ones. */
    public List<T> await(Predicate<T> p, int n, Duration settle, Duration timeout) throws InterruptedException {
        until(p, l -> l.size() >= n, timeout);
        Thread.sleep(settle.toMillis());
        return matching(p);
    }

    /** The records that match {@code p}, once {@code done} holds for them or {@code timeout} has passed. */
    public List<T> until(Predicate<T> p, Predicate<List<T>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> now = matching(p);
        while (!done.test(now) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = matching(p);
        }
        return now;
    }

    /** Sends one record with these headers and waits until the broker has it. */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        KafkaProducer<String, String> p = producer();
        p.send(r);
        p.flush();
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }
}
