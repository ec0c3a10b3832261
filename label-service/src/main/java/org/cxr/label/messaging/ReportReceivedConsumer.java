package org.cxr.label.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.events.DeadLetter;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.platform.logging.StudyLog;
import org.cxr.platform.messaging.DeadLetters;
import org.cxr.platform.messaging.DeliveryAttempts;
import org.cxr.platform.messaging.KafkaEvents;
import org.cxr.platform.messaging.OutageRetry;
import org.cxr.platform.storage.BucketNames;
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
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes cxr.report-received (and cxr.label.redrive, the dead letters an operator sends back):
 * reads the report from the reports bucket, labels it, and emits cxr.report-labelled — or a dead
 * letter on cxr.label.dlq for an unreadable event, an event naming another object than its ids
 * imply, a missing object, a report over {@code cxr.label.max-report-bytes}, an empty or
 * undecodable report. The incoming record is acknowledged (its offset may be committed) only after
 * the broker took what we emitted: at-least-once. Idempotent: the same report bytes give the same
 * payload and the same ce_id (study, report sha256, labeler version), so a redelivered event
 * repeats a fact the catalog already has. An object-store or broker outage is waited out
 * ({@link OutageRetry}), never dead-lettered.
 * <p>Poison records: each delivery is counted in the attempt log ({@link DeliveryAttempts},
 * {@code cxr.label.attempts}), so anything the labelling throws (an Error included) and a process
 * that dies while labelling count; after {@code cxr.label.max-attempts} the record is dead-lettered
 * INTERNAL_ERROR with its attempt history and the stream goes on. Oversized records (ids, headers,
 * value) are dead-lettered INVALID_EVENT unread.
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
    BucketNames buckets;

    @Inject
    LabelMetrics metrics;

    @Inject
    @Channel("report-labelled")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<String> labelled;

    @Inject
    @Channel("label-dlq")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
    Emitter<String> deadLetters;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "cxr.label.send-timeout", defaultValue = "30s")
    Duration sendTimeout;

    @ConfigProperty(name = "cxr.label.max-backoff", defaultValue = "30s")
    Duration maxBackoff;

    /** Deliveries of one record before it is dead-lettered INTERNAL_ERROR (a throw, or the process died). */
    @ConfigProperty(name = "cxr.label.max-attempts", defaultValue = "3")
    int maxAttempts;

    /** The largest report read (ingest's own limit is 1 MiB); a larger one is dead-lettered TOO_LARGE. */
    @ConfigProperty(name = "cxr.label.max-report-bytes", defaultValue = "1048576")
    int maxReportBytes;

    private volatile boolean stopping;
    private OutageRetry retry;
    private DeliveryAttempts attempts;

    @PostConstruct
    void init() {
        retry = new OutageRetry(Duration.ofMillis(500), maxBackoff, () -> stopping, (what, e, pause) -> {
            metrics.retrying(what);
            LOG.warnf("%s failed (%s); retrying in %d ms", what, e.getMessage(), pause.toMillis());
        });
        attempts = new DeliveryAttempts(kafka, new DeliveryAttempts.Settings(STAGE, Topics.LABEL_ATTEMPTS,
                maxAttempts, DeliveryAttempts.MAX_EVENT_BYTES), retry, () -> stopping);
    }

    @PreDestroy
    void close() {
        attempts.close();
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    @Incoming("report-received")
    @Blocking(ordered = false)
    public void consume(ConsumerRecord<String, String> record) {
        Timer.Sample delivery = metrics.start();
        attempts.run(record, () -> handle(record, delivery), (reason, message, count, history) ->
                park(record, reason, message, count, history));
    }

    /** One delivery: anything it throws but an outage counts as a failed attempt ({@link DeliveryAttempts}). */
    private void handle(ConsumerRecord<String, String> record, Timer.Sample delivery) {
        ReportReceived event;
        try {
            event = ReportLabelling.parse(record.value());
        } catch (EventJson.InvalidEventException e) {
            unreadable(record, FailureReason.INVALID_EVENT, e.getMessage(), 0, List.of());
            return;
        }
        try (StudyLog log = StudyLog.of(event.studyId(), null)) {
            String misdirected = ReportLabelling.misdirected(event, buckets.reports());
            if (misdirected != null) {
                deadLetter(event, record, FailureReason.INVALID_EVENT, misdirected, 0, List.of());
                return;
            }
            byte[] bytes;
            try {
                bytes = retry.call("read", () -> read(event));
            } catch (ObjectStoreException e) {
                if (!e.notFound()) {
                    throw e;
                }
                deadLetter(event, record, FailureReason.OBJECT_MISSING, e.getMessage(), 0, List.of());
                return;
            }
            if (bytes == null) {
                deadLetter(event, record, FailureReason.TOO_LARGE, "report " + event.objectKey() + " is over the limit of "
                        + maxReportBytes + " bytes", 0, List.of());
                return;
            }
            // a throw here (a bug in the labeler) is retried, then parked with its history
            ReportLabelling.Outcome outcome = ReportLabelling.label(pipeline, event, bytes, Clock.systemUTC().instant());
            if (outcome.event() == null) {
                deadLetter(event, record, outcome.reason(), outcome.message(), 0, List.of());
                return;
            }
            send(labelled, KafkaEvents.message(outcome.event(), SOURCE));
            String section = ((ReportLabelled) outcome.event()).section().name().toLowerCase();
            metrics.labelled(section, delivery);
            LOG.debugf("labelled %s (%s)", event.objectKey(), section);
        }
    }

    /** The report's bytes, or null when it is larger than the limit (not read beyond it). */
    private byte[] read(ReportReceived event) {
        try (InputStream in = store.open(event.bucket(), event.objectKey())) {
            byte[] bytes = in.readNBytes(maxReportBytes + 1);
            return bytes.length > maxReportBytes ? null : bytes;
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + event.bucket() + "/" + event.objectKey() + ": "
                    + e.getMessage(), e, false);
        }
    }

    private void deadLetter(ReportReceived original, ConsumerRecord<String, String> record, FailureReason reason,
                            String message, int count, List<DeliveryAttempt> history) {
        LOG.warnf("dead letter %s for %s: %s", reason, original.studyId(), message);
        DeadLetter dl = DeadLetters.of(STAGE, reason, message, record.topic(), original, record.value(), null);
        send(deadLetters, KafkaEvents.message(count == 0 ? dl : dl.withAttempts(count, history), SOURCE));
        metrics.deadLettered(reason);
    }

    /**
     * A record that is not a ReportReceived, or one set aside unread: dead-lettered under its own
     * record id, keyed like the record (unkeyed when the key is the oversized part).
     */
    private void unreadable(ConsumerRecord<String, String> record, FailureReason reason, String message, int count,
                            List<DeliveryAttempt> history) {
        LOG.warnf("dead letter %s for record %s-%d@%d: %s", reason, record.topic(), record.partition(),
                record.offset(), message);
        DeadLetter dl = DeadLetters.unread(STAGE, reason, message, record.topic(), KafkaEvents.recordId(record),
                record.value());
        String key = record.key() == null || record.key().length() > KafkaEvents.MAX_ID_LENGTH ? null : record.key();
        send(deadLetters, KafkaEvents.message(count == 0 ? dl : dl.withAttempts(count, history), SOURCE, key,
                Clock.systemUTC().instant()));
        metrics.deadLettered(reason);
    }

    /** A record {@link DeliveryAttempts} gave up on (too many attempts, or oversized). */
    private void park(ConsumerRecord<String, String> record, FailureReason reason, String message, int count,
                      List<DeliveryAttempt> history) {
        ReportReceived event;
        try {
            event = ReportLabelling.parse(record.value());
        } catch (EventJson.InvalidEventException e) {
            unreadable(record, reason, message, count, history);
            return;
        }
        deadLetter(event, record, reason, message, count, history);
    }

    private void send(Emitter<String> emitter, Message<String> message) {
        retry.run("send", () -> KafkaEvents.sendAndAwait(emitter, message, sendTimeout));
    }
}
