package org.cxr.catalog.messaging;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
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

import org.cxr.catalog.repository.CatalogIndexer;
import org.cxr.events.EventHeaders;
import org.cxr.events.Topics;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the outbox (StudyIndexed to cxr.study-indexed, the catalog's dead letters to
 * cxr.catalog.dlq) after the transactions that wrote it have committed: rows are locked
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
    @Inject
    CatalogIndexer indexer;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalog-outbox");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent ev) {
        indexer.onCommit(this::request);
        executor.scheduleWithFixedDelay(this::request, 2, 5, TimeUnit.SECONDS);
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
    static Message<String> message(String studyId, String eventId, String type, String payload, java.time.Instant time) {
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(EventHeaders.SPEC_VERSION, bytes("1.0"));
        headers.add(EventHeaders.ID, bytes(eventId));
        headers.add(EventHeaders.TYPE, bytes(type));
        headers.add(EventHeaders.SOURCE, bytes(SOURCE));
        headers.add(EventHeaders.TIME, bytes(time.toString()));
        if (studyId != null) {
            headers.add(EventHeaders.SUBJECT, bytes(studyId));
        }
        headers.add(EventHeaders.CONTENT_TYPE, bytes("application/json"));
        var meta = io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers);
        if (studyId != null) {
            meta.withKey(studyId);
        }
        return Message.of(payload).addMetadata(meta.build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private int sendChunk() {
        record Row(long id, String topic, String key, String eventId, String type, String payload, Timestamp createdAt) {
        }
        List<Row> rows = em.unwrap(Session.class).doReturningWork(conn -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT outbox_id, topic, event_key, event_id, event_type, payload, created_at"
                    + " FROM outbox ORDER BY outbox_id LIMIT " + CHUNK + " FOR UPDATE SKIP LOCKED");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getTimestamp(7)));
                }
            }
            return out;
        });
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(rows.size());
        for (Row r : rows) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            Message<String> m = message(r.key(), r.eventId(), r.type(), r.payload(), r.createdAt().toInstant())
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(t -> {
                        ack.completeExceptionally(t);
                        return CompletableFuture.completedFuture(null);
                    });
            (Topics.STUDY_INDEXED.equals(r.topic()) ? studyIndexed : catalogDlq).send(m);
            acks.add(ack);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not acknowledge the outbox: " + e.getMessage(), e);
        }
        long[] ids = rows.stream().mapToLong(Row::id).toArray();
        em.unwrap(Session.class).doWork(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM outbox WHERE outbox_id = ANY (?)")) {
                ps.setArray(1, conn.createArrayOf("int8", java.util.Arrays.stream(ids).boxed().toArray(Long[]::new)));
                ps.executeUpdate();
            }
        });
        return rows.size();
    }
}
