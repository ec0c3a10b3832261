package org.cxr.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cxr.events.CxrEvent;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Kafka records of our events: JSON payload, key = study id (a study's events stay in order on
 * one partition), CloudEvents headers.
 */
public final class KafkaEvents {
    private KafkaEvents() {
    }

    /** A message for an {@code Emitter<String>}: payload, key and headers set. */
    public static Message<String> message(CxrEvent event, String source) {
        return message(event, source, Clock.systemUTC().instant());
    }

    public static Message<String> message(CxrEvent event, String source, Instant time) {
        Headers headers = new RecordHeaders();
        for (Map.Entry<String, byte[]> h : EventHeaders.of(event, source, time).entrySet()) {
            headers.add(h.getKey(), h.getValue());
        }
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.studyId())
                .withHeaders(headers)
                .build();
        return Message.of(EventJson.write(event)).addMetadata(meta);
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
