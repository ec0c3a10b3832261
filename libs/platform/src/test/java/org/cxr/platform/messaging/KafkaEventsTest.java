package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.Topics;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Records of events that have no study id, and the wait for the broker's acknowledgement. The
 * emitter here stands in for SmallRye's, which acks or nacks each message once the producer has
 * its answer (the services' tests send through the real one to a real broker).
 */
class KafkaEventsTest {
    static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

    /** Calls {@code outcome} with each message sent. */
    record TestEmitter(Consumer<Message<? extends String>> outcome) implements Emitter<String> {
        @Override
        public CompletionStage<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void send(M msg) {
            outcome.accept(msg);
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    static Message<String> someMessage() {
        return Message.of("{}");
    }

    @Test
    void returnsOnceTheBrokerAcknowledged() {
        AtomicBoolean acked = new AtomicBoolean();
        KafkaEvents.sendAndAwait(new TestEmitter(m -> CompletableFuture.runAsync(() -> {
            acked.set(true);
            m.ack();
        }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))), someMessage(), Duration.ofSeconds(5));
        assertThat(acked).isTrue();
    }

    @Test
    void aRefusalATimeoutOrAFailingEmitterIsABrokerOutage() {
        assertThatThrownBy(() -> KafkaEvents.sendAndAwait(
                new TestEmitter(m -> m.nack(new IllegalStateException("NOT_ENOUGH_REPLICAS"))), someMessage(),
                Duration.ofSeconds(5)))
                .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("NOT_ENOUGH_REPLICAS")
                .matches(OutageRetry::isOutage);
        assertThatThrownBy(() -> KafkaEvents.sendAndAwait(new TestEmitter(m -> { }), someMessage(),
                Duration.ofMillis(50)))
                .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("did not acknowledge");
        assertThatThrownBy(() -> KafkaEvents.sendAndAwait(new TestEmitter(m -> {
            throw new IllegalStateException("SRMSG00034: Insufficient downstream requests");
        }), someMessage(), Duration.ofSeconds(5)))
                .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("Insufficient downstream");
    }

    @Test
    void theDeadLetterOfAnUnreadableRecordKeepsTheRecordsKeyAndId() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.INSTANCE_RECEIVED, 2, 41, "k-1", "not json");
        String id = KafkaEvents.recordId(record);
        assertThat(id).isEqualTo("cxr.instance-received-2@41");
        DeadLetter dl = DeadLetters.unreadable("convert", "not JSON", record.topic(), id, record.value());
        assertThat(dl.reason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(dl.eventId()).isEqualTo("dead-letter:convert:cxr.instance-received-2@41");
        assertThat(dl.originalEvent().asText()).isEqualTo("not json");
        assertThat(DeadLetters.unreadable("convert", "m", record.topic(), id, "{\"a\":1}").originalEvent().get("a").asInt())
                .isEqualTo(1);

        Message<String> m = KafkaEvents.message(dl, "/cxr/convert-service", record.key(), T);
        OutgoingKafkaRecordMetadata<?> meta = m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertThat(meta.getKey()).isEqualTo("k-1");
        assertThat(meta.getHeaders().lastHeader(EventHeaders.SUBJECT)).isNull();
        assertThat(new String(meta.getHeaders().lastHeader(EventHeaders.ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(dl.eventId());
        assertThat(EventJson.read(m.getPayload(), DeadLetter.class).originalEventId()).isEqualTo(id);

        record.headers().add(EventHeaders.ID, "instance-received:x:y".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaEvents.recordId(record)).isEqualTo("instance-received:x:y");
    }

    @Test
    void aMessageCarriesTheTraceCurrentWhereItIsBuiltAndSent() {
        DeadLetter dl = DeadLetters.unreadable("convert", "not JSON", Topics.INSTANCE_RECEIVED, "t-0@1", "x");
        assertThat(TracingMetadata.fromMessage(KafkaEvents.message(dl, "/cxr/convert-service", "k", T))).isEmpty();

        SpanContext request = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        AtomicReference<Message<? extends String>> sent = new AtomicReference<>();
        try (Scope s = Context.root().with(Span.wrap(request)).makeCurrent()) {
            Message<String> m = KafkaEvents.message(dl, "/cxr/convert-service", "k", T);
            assertThat(Span.fromContext(TracingMetadata.fromMessage(m).orElseThrow().getCurrentContext())
                    .getSpanContext()).isEqualTo(request);
            // a message built without the trace gets it when sent
            KafkaEvents.sendAndAwait(new TestEmitter(x -> {
                sent.set(x);
                x.ack();
            }), someMessage(), Duration.ofSeconds(5));
        }
        assertThat(Span.fromContext(TracingMetadata.fromMessage(sent.get()).orElseThrow().getCurrentContext())
                .getSpanContext().getTraceId()).isEqualTo(request.getTraceId());
    }
}
