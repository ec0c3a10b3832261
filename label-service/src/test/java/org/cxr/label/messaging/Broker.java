package org.cxr.label.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.cxr.events.Buckets;
import org.cxr.events.EventJson;
import org.cxr.events.ObjectKeys;
import org.cxr.events.ReportReceived;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.testing.TopicTap;

/**
 * The test's side of the real broker, shared by the service's test classes: a producer for the
 * input and redrive topics, and a tap that records everything label-service emits.
 */
final class Broker {
    /** One record label-service emitted. */
    record Out(String topic, String key, String value, Map<String, String> headers) {
    }

    private static Broker instance;

    private final TopicTap<Out> tap = TopicTap.start(LocalInfraTestResource.endpoints().kafkaBootstrap(),
            "label-test-tap", List.of(Topics.REPORT_LABELLED, Topics.LABEL_DLQ), Out::new);

    private Broker() {
    }

    static synchronized Broker get() {
        if (instance == null) {
            instance = new Broker();
        }
        return instance;
    }

    /**
     * What label-service emitted that matches, once there are at least {@code n} such records (or
     * after a minute), and after a further {@code quiet} in which more would have shown up.
     */
    List<Out> await(Predicate<Out> p, int n, Duration quiet) throws InterruptedException {
        return tap.await(p, n, quiet);
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
        return tap.matching(p);
    }

    void send(String topic, String key, String value, Map<String, String> headers) {
        tap.send(topic, key, value, headers);
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
