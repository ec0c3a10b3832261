package org.cxr.convert.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.cxr.events.Buckets;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.local.infra.Endpoints;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.testing.PrometheusText;
import org.cxr.testing.TopicTap;

/**
 * The test's side of the pipeline, on the real broker and S3 server: stores DICOMs in the raw
 * bucket and announces them as ingest would, and reads everything convert-service emits.
 */
final class Pipeline {
    /** One record convert-service emitted. */
    record Out(String topic, String key, String value, Map<String, String> headers) {
        InstanceConverted converted() {
            return EventJson.read(value, InstanceConverted.class);
        }

        DeadLetter deadLetter() {
            return EventJson.read(value, DeadLetter.class);
        }
    }

    private static Pipeline instance;
    private final TopicTap<Out> tap;
    /** Straight to the S3 server (convert-service may see it through a link the test cuts). */
    final ObjectStore store;

    private Pipeline(Endpoints e) {
        store = new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
        store.ensureBucket(Buckets.RAW);
        tap = TopicTap.start(e.kafkaBootstrap(), "convert-test-tap",
                List.of(Topics.INSTANCE_CONVERTED, Topics.CONVERT_DLQ), Out::new);
    }

    static synchronized Pipeline get() {
        if (instance == null) {
            instance = new Pipeline(LocalInfraTestResource.endpoints());
        }
        return instance;
    }

    List<Out> matching(Predicate<Out> p) {
        return tap.matching(p);
    }

    /** Waits (up to a minute) until {@code n} records match, then a quiet {@code settle} more to catch extra ones. */
    List<Out> await(Predicate<Out> p, int n, Duration settle) throws InterruptedException {
        return tap.await(p, n, settle);
    }

    /**
     * What was emitted about each instance: waits (up to a minute) until each has a record, then a
     * quiet {@code settle} more to catch extra ones.
     */
    Map<InstanceReceived, List<Out>> outcomes(Collection<InstanceReceived> instances, Duration settle)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (instances.stream().anyMatch(e -> matching(about(e)).isEmpty()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(settle.toMillis());
        Map<InstanceReceived, List<Out>> m = new LinkedHashMap<>();
        instances.forEach(e -> m.put(e, matching(about(e))));
        return m;
    }

    /** Everything emitted about one instance. */
    static Predicate<Out> about(InstanceReceived e) {
        return o -> o.value().contains("\"dicomId\":\"" + e.dicomId() + "\"");
    }

    static Predicate<Out> on(String topic, InstanceReceived e) {
        return about(e).and(o -> o.topic().equals(topic));
    }

    /** Puts {@code dicom} (null: nothing) in the raw bucket under fresh research ids and returns its event. */
    InstanceReceived stored(byte[] dicom) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String subject = String.valueOf(10_000_000 + r.nextInt(10_000_000));
        String study = String.valueOf(50_000_000 + r.nextInt(10_000_000));
        String dicomId = String.format("%08x-%08x-%08x-%08x-%08x", r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(),
                r.nextInt());
        String key = ObjectKeys.dicom(subject, study, dicomId);
        if (dicom != null) {
            store.put(Buckets.RAW, key, dicom, "application/dicom", Map.of());
        }
        byte[] bytes = dicom == null ? new byte[0] : dicom;
        return new InstanceReceived(InstanceReceived.SCHEMA_VERSION, subject, study, dicomId, Buckets.RAW, key,
                Conversions.sha256(bytes), bytes.length, null, null, Source.REST, Instant.now());
    }

    /** The value of a series of the service's /q/metrics (0 when absent). */
    static double metric(String series) {
        return PrometheusText.value(io.restassured.RestAssured.given().get(Management.url("/metrics")).asString(),
                series);
    }

    void publish(InstanceReceived e) {
        publish(e.studyId(), EventJson.write(e));
    }

    void publish(String key, String value) {
        publish(Topics.INSTANCE_RECEIVED, key, value, Map.of());
    }

    /** A record with headers, on the input or on the redrive topic. */
    void publish(String topic, String key, String value, Map<String, String> headers) {
        tap.send(topic, key, value, headers);
    }
}
