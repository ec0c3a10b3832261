package org.cxr.catalog.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.cxr.catalog.repository.CatalogCommitted;
import org.cxr.catalog.repository.OutboxRepository;
import org.cxr.events.EventHeaders;
import org.cxr.events.Topics;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes the outbox (StudyIndexed to cxr.study-indexed, the catalog's dead letters to
 * cxr.catalog.dlq, redriven events to cxr.convert.redrive / cxr.label.redrive) after the transactions that wrote it have committed: rows are locked
 * ({@code FOR UPDATE SKIP LOCKED}, so several instances never send the same row at once), sent,
 * and deleted once the broker acknowledged them. A failure leaves them for the next round
 * (after each indexed batch, and every few seconds): at-least-once, with deterministic event ids.
 */
@ApplicationScoped
public class OutboxPublisher {
    private static final Logger LOG = Logger.getLogger(OutboxPublisher.class);
    private static final int CHUNK = 1000;
    private static final String SOURCE = "/cxr/catalog-service";

    @Inject
    @Channel("study-indexed")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4 * CHUNK)
    Emitter<String> studyIndexed;

    @Inject
    @Channel("catalog-dlq")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4 * CHUNK)
    Emitter<String> catalogDlq;

    @Inject
    EntityManager em;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalog-outbox");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent ev) {
        executor.scheduleWithFixedDelay(this::request, 2, 5, TimeUnit.SECONDS);
    }

    void onCommitted(@Observes CatalogCommitted ev) {
        request();
    }

    void onStop(@Observes ShutdownEvent ev) {
        executor.shutdown();
    }

    /** Asks for a drain soon (coalesces requests). */
    public void request() {
        if (requested.compareAndSet(false, true)) {
            executor.execute(() -> {
                requested.set(false);
                try {
                    drain();
                } catch (RuntimeException e) {
                    LOG.warnf("outbox not published yet (%s); will retry", e.getMessage());
                }
            });
        }
    }

    /** Publishes everything in the outbox now; returns the number of events sent. */
    public int drain() {
        int total = 0;
        while (true) {
            int sent = QuarkusTransaction.requiringNew().call(this::sendChunk);
            total += sent;
            if (sent < CHUNK) {
                return total;
            }
        }
    }

    /**
     * The record {@code KafkaEvents.message} would build for the event (key = study id, CloudEvents
     * headers), from the outbox row as stored: the payload is sent as written, not parsed again.
     */
    static Message<String> message(String studyId, String eventId, String type, String payload, Instant time) {
        return message(studyId, eventId, type, payload, time, null, null, null);
    }

    /**
     * ... sent to another topic than the emitter's, with the redrive header when attempts is set, in
     * the trace of {@code traceparent} when set: the connector writes that trace's {@code traceparent}
     * (as {@code KafkaEvents} has it for the other services), else it takes the sending thread's context.
     */
    static Message<String> message(String studyId, String eventId, String type, String payload, Instant time,
            String topic, Integer attempts, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.SPEC_VERSION, bytes("1.0"));
        headers.add(EventHeaders.ID, bytes(eventId));
        headers.add(EventHeaders.TYPE, bytes(type));
        headers.add(EventHeaders.SOURCE, bytes(SOURCE));
        headers.add(EventHeaders.TIME, bytes(time.toString()));
        if (studyId != null) {
            headers.add(EventHeaders.SUBJECT, bytes(studyId));
        }
        headers.add(EventHeaders.CONTENT_TYPE, bytes("application/json"));
        if (attempts != null) {
            headers.add(EventHeaders.ATTEMPTS, bytes(attempts.toString()));
        }
        var meta = OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers);
        if (topic != null) {
            meta.withTopic(topic);
        }
        if (studyId != null) {
            meta.withKey(studyId);
        }
        Message<String> m = Message.of(payload).addMetadata(meta.build());
        if (traceparent == null) {
            return m;
        }
        Context trace = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, STORED);
        return m.addMetadata(TracingMetadata.withCurrent(trace));
    }

    /** A stored traceparent as the only header of a carrier. */
    private static final TextMapGetter<String> STORED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(RecordSpans.TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return RecordSpans.TRACEPARENT.equals(key) ? traceparent : null;
        }
    };

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int sendChunk() {
        Session session = em.unwrap(Session.class);
        List<OutboxRepository.Row> rows = session.doReturningWork(c -> new OutboxRepository(c).lockNext(CHUNK));
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (OutboxRepository.Row r : rows) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            OutboxRepository.Entry e = r.entry();
            boolean indexed = Topics.STUDY_INDEXED.equals(e.topic());
            // the dlq channel's producer also sends the redrives (the topic set per record)
            Message<String> m = message(e.key(), e.eventId(), e.type(), e.payload(), r.createdAt(),
                    indexed || Topics.CATALOG_DLQ.equals(e.topic()) ? null : e.topic(), e.attempts(), e.traceparent())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(t -> {
                        ack.completeExceptionally(t);
                        return CompletableFuture.completedFuture(null);
                    });
            (indexed ? studyIndexed : catalogDlq).send(m);
            acks.add(ack);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not acknowledge the outbox: " + e.getMessage(), e);
        }
        session.doWork(c -> new OutboxRepository(c).delete(rows));
        return rows.size();
    }
}
