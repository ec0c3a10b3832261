package org.cxr.label.messaging;

import java.time.Clock;
import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.platform.logging.StudyLog;
import org.cxr.platform.messaging.DeadLetters;
import org.cxr.platform.messaging.KafkaEvents;
import org.cxr.platform.messaging.OutageRetry;
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

/**
 * Consumes cxr.report-received: reads the report from the reports bucket, labels it, and emits
 * cxr.report-labelled — or a dead letter on cxr.label.dlq for an unreadable event, a missing
 * object, an empty or undecodable report. The incoming record is acknowledged (its offset may be
 * committed) only after the broker took what we emitted: at-least-once. Idempotent: the same
 * report bytes give the same payload and the same ce_id (study, report sha256, labeler version),
 * so a redelivered event repeats a fact the catalog already has. An object-store or broker outage
 * is waited out ({@link OutageRetry}), never dead-lettered.
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
    private OutageRetry retry;

    @PostConstruct
    void init() {
        retry = new OutageRetry(Duration.ofMillis(500), maxBackoff, () -> stopping, (what, e, pause) -> {
            registry.counter("cxr_label_retries", "what", what).increment();
            LOG.warnf("%s failed (%s); retrying in %d ms", what, e.getMessage(), pause.toMillis());
        });
    }

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
            unreadable(record, e.getMessage());
            return;
        }
        try (StudyLog log = StudyLog.of(event.studyId(), null)) {
            byte[] bytes;
            try {
                bytes = retry.call("read", () -> store.get(event.bucket(), event.objectKey()));
            } catch (ObjectStoreException e) {
                if (!e.notFound()) {
                    throw e;
                }
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
            send(labelled, KafkaEvents.message(outcome.event(), SOURCE));
            String section = ((ReportLabelled) outcome.event()).section().name().toLowerCase();
            registry.counter("cxr_label_reports", "outcome", "labelled", "section", section, "reason", "none").increment();
            timing.stop(registry.timer("cxr_label_report_duration"));
            LOG.debugf("labelled %s (%s)", event.objectKey(), section);
        }
    }

    private void deadLetter(ReportReceived original, ConsumerRecord<String, String> record, FailureReason reason, String message) {
        LOG.warnf("dead letter %s for %s: %s", reason, original.studyId(), message);
        DeadLetter dl = DeadLetters.of(STAGE, reason, message, record.topic(), original, record.value(), null);
        send(deadLetters, KafkaEvents.message(dl, SOURCE));
        countDeadLetter(reason);
    }

    /** A record that is not a ReportReceived: dead-lettered under its own record id and key. */
    private void unreadable(ConsumerRecord<String, String> record, String message) {
        LOG.warnf("dead letter INVALID_EVENT for record at offset %d: %s", record.offset(), message);
        DeadLetter dl = DeadLetters.unreadable(STAGE, message, record.topic(), KafkaEvents.recordId(record), record.value());
        send(deadLetters, KafkaEvents.message(dl, SOURCE, record.key(), Clock.systemUTC().instant()));
        countDeadLetter(FailureReason.INVALID_EVENT);
    }

    private void countDeadLetter(FailureReason reason) {
        // same tag keys on every cxr_label_reports series (Prometheus drops a series whose keys differ)
        registry.counter("cxr_label_reports", "outcome", "dead_letter", "section", "none", "reason", reason.name()).increment();
    }

    private void send(Emitter<String> emitter, Message<String> message) {
        retry.run("send", () -> KafkaEvents.sendAndAwait(emitter, message, sendTimeout));
    }
}
