package org.cxr.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cxr.events.CxrEvent;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Kafka records of our events: JSON payload, key = study id (a study's events stay in order on
 * one partition), CloudEvents headers.
 */
public final class KafkaEvents {
    /**
     * The longest record key or {@code ce_id} a stage takes: the catalog keeps dead-letter ids in a
     * 400-character column (with the {@code dead-letter:<stage>:} prefix); ours are at most ~150.
     */
    public static final int MAX_ID_LENGTH = 256;

    private KafkaEvents() {
    }

    /** A message for an {@code Emitter<String>}: payload, key and headers set. */
    public static Message<String> message(CxrEvent event, String source) {
        return message(event, source, Clock.systemUTC().instant());
    }

    public static Message<String> message(CxrEvent event, String source, Instant time) {
        return message(event, source, event.studyId(), time);
    }

    /**
     * A message with another key than the study id: the dead letter of an unreadable record has no
     * study id and keeps the record's key (may be null).
     */
    public static Message<String> message(CxrEvent event, String source, String key, Instant time) {
        Headers headers = new RecordHeaders();
        for (Map.Entry<String, byte[]> h : EventHeaders.of(event, source, time).entrySet()) {
            headers.add(h.getKey(), h.getValue());
        }
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key)
                .withHeaders(headers)
                .build();
        return traced(Message.of(EventJson.write(event)).addMetadata(meta));
    }

    /**
     * The message with the caller's trace context (an HTTP request's, a consumed record's), so that
     * the Kafka connector writes the W3C {@code traceparent} of that trace: the connector otherwise
     * takes the context current on its own sending thread. Unchanged when no trace is current or the
     * message already names its context.
     */
    static <T> Message<T> traced(Message<T> message) {
        Context current = Context.current();
        if (current == Context.root() || TracingMetadata.fromMessage(message).isPresent()) {
            return message;
        }
        return message.addMetadata(TracingMetadata.withCurrent(current));
    }

    /**
     * Sends and blocks until the broker acknowledged the record (with {@code acks=all}: written to
     * the in-sync replicas), so that the caller may then acknowledge what it consumed. A refusal, a
     * timeout or an emitter that cannot take messages (its producer failing) is a
     * {@link BrokerUnavailableException}. Call from a worker thread, never the event loop.
     */
    public static void sendAndAwait(Emitter<String> emitter, Message<String> message, Duration timeout) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> tracked = traced(message).withAck(() -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }).withNack(t -> {
            acked.completeExceptionally(t);
            return CompletableFuture.completedFuture(null);
        });
        try {
            emitter.send(tracked);
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("the broker did not acknowledge within " + timeout, e);
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("the broker refused the record: " + e.getCause(), e.getCause());
        } catch (IllegalStateException e) {
            throw new BrokerUnavailableException("the emitter cannot send: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the broker", e);
        }
    }

    /**
     * A stable id of a consumed record: its {@code ce_id} header, else (or when that is longer than
     * {@link #MAX_ID_LENGTH}) {@code topic-partition@offset}. The dead letter of a record that is not
     * a readable event refers to it by this id.
     */
    public static String recordId(ConsumerRecord<?, ?> record) {
        Header ceId = record.headers().lastHeader(EventHeaders.ID);
        return ceId != null && ceId.value() != null && ceId.value().length <= MAX_ID_LENGTH
                ? new String(ceId.value(), StandardCharsets.UTF_8)
                : DeliveryAttempts.coordinates(record);
    }

    /** The topic an incoming message came from, or "unknown". */
    public static String topic(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getTopic).orElse("unknown");
    }

    /** A header value of an incoming message, or null. */
    public static String header(Message<?> message, String name) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(name))
                .map(h -> new String(h.value(), StandardCharsets.UTF_8))
                .orElse(null);
    }
}
