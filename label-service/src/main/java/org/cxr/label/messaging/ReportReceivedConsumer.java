package org.cxr.label.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.platform.logging.StudyLog;
import org.cxr.platform.messaging.DeadLetters;
import org.cxr.platform.messaging.KafkaEvents;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes cxr.report-received: reads the report from the reports bucket, labels it, and emits
 * cxr.report-labelled — or a dead letter on cxr.label.dlq for an unreadable event, a missing
 * object, an empty or undecodable report. The incoming record is acknowledged (its offset may be
 * committed) only after the broker took what we emitted: at-least-once. Idempotent: the same
 * report bytes give the same payload and the same ce_id (study, report sha256, labeler version),
 * so a redelivered event repeats a fact the catalog already has. An object-store or broker outage
 * is retried with back-off, never dead-lettered.
 */
@ApplicationScoped
public class ReportReceivedConsumer {
    private static final Logger LOG = Logger.getLogger(ReportReceivedConsumer.class);
    static final String SOURCE = "/cxr/label-service";
    static final String STAGE = "label";

    @Inject
    ReportPipeline pipeline;

    @Inject
    ObjectStore store;

    @Inject
    MeterRegistry registry;

    @Inject
    @Channel("report-labelled")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<String> labelled;

    @Inject
    @Channel("label-dlq")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
    Emitter<String> deadLetters;

    @ConfigProperty(name = "cxr.label.send-timeout", defaultValue = "30s")
    Duration sendTimeout;

    @ConfigProperty(name = "cxr.label.max-backoff", defaultValue = "30s")
    Duration maxBackoff;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    @Incoming("report-received")
    @Blocking(ordered = false)
    public void consume(ConsumerRecord<String, String> record) {
        Timer.Sample timing = Timer.start(registry);
        ReportReceived event;
        try {
            event = ReportLabelling.parse(record.value());
        } catch (EventJson.InvalidEventException e) {
            deadLetter(null, record, FailureReason.INVALID_EVENT, e.getMessage());
            return;
        }
        try (StudyLog log = StudyLog.of(event.studyId(), null)) {
            byte[] bytes;
            try {
                bytes = retrying("read " + event.bucket() + "/" + event.objectKey(), () -> store.get(event.bucket(), event.objectKey()));
            } catch (ObjectStoreException e) {
                deadLetter(event, record, FailureReason.OBJECT_MISSING, e.getMessage());
                return;
            }
            ReportLabelling.Outcome outcome;
            try {
                outcome = ReportLabelling.label(pipeline, event, bytes, Clock.systemUTC().instant());
            } catch (RuntimeException | StackOverflowError e) {
                // a report that trips a bug in the labeler is set aside, not retried forever: the
                // channel keeps going and the report can be relabelled once the rules are fixed
                LOG.errorf(e, "labelling %s failed", event.objectKey());
                deadLetter(event, record, FailureReason.INTERNAL_ERROR, e.toString());
                return;
            }
            if (outcome.event() == null) {
                deadLetter(event, record, outcome.reason(), outcome.message());
                return;
            }
            send(labelled, KafkaEvents.message(outcome.event(), SOURCE), "report-labelled");
            String section = ((org.cxr.events.ReportLabelled) outcome.event()).section().name().toLowerCase();
            registry.counter("cxr_label_reports", "outcome", "labelled", "section", section, "reason", "none").increment();
            timing.stop(registry.timer("cxr_label_report_duration"));
            LOG.debugf("labelled %s (%s)", event.objectKey(), section);
        }
    }

    private void deadLetter(ReportReceived original, ConsumerRecord<String, String> record, FailureReason reason, String message) {
        LOG.warnf("dead letter %s for %s: %s", reason, original == null ? "record at offset " + record.offset() : original.studyId(),
                message);
        DeadLetter dl = original == null
                ? DeadLetters.unreadable(STAGE, message, record.topic(), KafkaEvents.recordId(record), record.value())
                : DeadLetters.of(STAGE, reason, message, record.topic(), original, record.value(), null);
        send(deadLetters, original == null ? keyless(dl, record.key()) : KafkaEvents.message(dl, SOURCE), "label-dlq");
        // same tag keys on every cxr_label_reports series (Prometheus drops a series whose keys differ)
        registry.counter("cxr_label_reports", "outcome", "dead_letter", "section", "none", "reason", reason.name()).increment();
    }

    /**
     * A dead letter of an unreadable record has no study id for ce_subject: it keeps the
     * incoming record's key (if any) and the other CloudEvents headers.
     */
    private static Message<String> keyless(CxrEvent event, String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.SPEC_VERSION, bytes("1.0"));
        headers.add(EventHeaders.ID, bytes(event.eventId()));
        headers.add(EventHeaders.TYPE, bytes(event.eventType()));
        headers.add(EventHeaders.SOURCE, bytes(SOURCE));
        headers.add(EventHeaders.TIME, bytes(Clock.systemUTC().instant().toString()));
        headers.add(EventHeaders.CONTENT_TYPE, bytes("application/json"));
        return Message.of(EventJson.write(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends and waits for the broker's acknowledgement, retrying a refused or timed-out send. */
    private void send(Emitter<String> emitter, Message<String> message, String channel) {
        retrying("send to " + channel, () -> {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            emitter.send(message.withAck(() -> {
                acked.complete(null);
                return CompletableFuture.completedFuture(null);
            }).withNack(t -> {
                acked.completeExceptionally(t);
                return CompletableFuture.completedFuture(null);
            }));
            try {
                acked.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException | TimeoutException e) {
                throw new TransientFailure("broker did not take the event: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        });
    }

    /** An outage worth waiting out. */
    static final class TransientFailure extends RuntimeException {
        TransientFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs the call until it succeeds, backing off (0.5 s doubling up to cxr.label.max-backoff)
     * while the object store is unreachable or the broker refuses; a missing object is thrown.
     */
    private <T> T retrying(String what, Supplier<T> call) {
        long backoff = 500;
        while (true) {
            try {
                return call.get();
            } catch (ObjectStoreException e) {
                if (e.notFound()) {
                    throw e;
                }
                backoff = pause(what, e, backoff);
            } catch (TransientFailure | IllegalStateException e) {
                // the emitter throws IllegalStateException while its downstream (the producer) is failing
                backoff = pause(what, e, backoff);
            }
        }
    }

    private long pause(String what, RuntimeException e, long backoff) {
        if (stopping) {
            throw e;
        }
        registry.counter("cxr_label_retries", "what", what.startsWith("send") ? "send" : "read").increment();
        LOG.warnf("%s failed (%s); retrying in %d ms", what, e.getMessage(), backoff);
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
        }
        return Math.min(backoff * 2, maxBackoff.toMillis());
    }
}
