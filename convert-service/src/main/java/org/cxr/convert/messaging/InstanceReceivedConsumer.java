package org.cxr.convert.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.cxr.convert.config.ConvertConfig;
import org.cxr.convert.domain.ConversionResult;
import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.storage.ConversionObjects;
import org.cxr.events.DeadLetter;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Topics;
import org.cxr.platform.logging.StudyLog;
import org.cxr.platform.messaging.DeadLetters;
import org.cxr.platform.messaging.DeliveryAttempts;
import org.cxr.platform.messaging.KafkaEvents;
import org.cxr.platform.messaging.OutageRetry;
import org.cxr.platform.storage.ObjectStoreException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes cxr.instance-received: reads the DICOM from the raw bucket, converts it, writes the JPG
 * to its dataset key in the jpg bucket and emits cxr.instance-converted — or a dead letter on
 * cxr.convert.dlq with the reason (bad input, a missing object, an unreadable event, an event whose
 * bucket and key are not the raw bucket and the key its ids imply: INVALID_EVENT, unread). The record is
 * acknowledged only after the broker took what was emitted (at-least-once). An object-store or
 * broker outage is waited out, never dead-lettered.
 * <p>Conversions run on the {@code convert-workers} pool ({@code cxr.convert.workers} threads and
 * as many records in flight, acknowledged out of order; the throttled commit strategy commits an
 * offset once every record before it is done). Decoded pixels are capped by the converter's
 * memory budget.
 * <p>Idempotent: an instance whose JPG and announcement marker name the event's sha256 and this
 * converter version is skipped (no second JPG, no second event); deliveries of one instance are
 * processed one at a time. After a crash between the broker's ack and the marker, a redelivery
 * converts again and re-announces the same fact with the same ce_id.
 * <p>Poison records: each delivery is counted in the attempt log ({@link DeliveryAttempts},
 * {@code cxr.convert.attempts}), so anything the conversion throws (an Error included) and a process
 * that dies while converting (out of memory, a native decoder crash) count; after
 * {@code cxr.convert.max-attempts} the record is dead-lettered INTERNAL_ERROR with its attempt
 * history. Oversized records (ids, headers, value) are dead-lettered INVALID_EVENT unread. Records
 * redriven from {@code cxr.convert.redrive} take the same path.
 */
@ApplicationScoped
public class InstanceReceivedConsumer {
    private static final Logger LOG = Logger.getLogger(InstanceReceivedConsumer.class);
    static final String SOURCE = "/cxr/convert-service";
    static final String STAGE = "convert";

    @Inject
    Converter converter;

    @Inject
    ConversionObjects images;

    @Inject
    ConvertConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    @Channel("instance-converted")
    Emitter<String> convertedEvents;

    @Inject
    @Channel("convert-dlq")
    Emitter<String> deadLetters;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    private final KeyedLocks locks = new KeyedLocks();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    private OutageRetry retry;
    private DeliveryAttempts attempts;
    private Timer decodeTimer;
    private Timer totalTimer;

    @PostConstruct
    void init() {
        retry = new OutageRetry(Duration.ofMillis(500), config.maxBackoff(), () -> stopping, (what, e, pause) -> {
            registry.counter("cxr_convert_retries", "what", what).increment();
            LOG.warnf("%s failed (%s); retrying in %d ms", what, e.getMessage(), pause.toMillis());
        });
        registry.gauge("cxr_convert_in_flight", inFlight);
        decodeTimer = registry.timer("cxr_convert_decode");
        totalTimer = registry.timer("cxr_convert_total");
        attempts = new DeliveryAttempts(kafka, new DeliveryAttempts.Settings(STAGE, Topics.CONVERT_ATTEMPTS,
                config.maxAttempts(), DeliveryAttempts.MAX_EVENT_BYTES), retry, () -> stopping);
    }

    @PreDestroy
    void close() {
        attempts.close();
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopping = true;
    }

    @Incoming("instance-received")
    @Blocking(value = "convert-workers", ordered = false)
    public void consume(ConsumerRecord<String, String> record) {
        Timer.Sample sample = Timer.start(registry);
        inFlight.incrementAndGet();
        try {
            attempts.run(record, () -> handle(record), (reason, message, count, history) ->
                    park(record, reason, message, count, history));
        } finally {
            inFlight.decrementAndGet();
            sample.stop(totalTimer);
        }
    }

    /** One delivery: anything it throws but an outage counts as a failed attempt ({@link DeliveryAttempts}). */
    private void handle(ConsumerRecord<String, String> record) {
        InstanceReceived event = parse(record);
        if (event == null) {
            return;
        }
        String misdirected = Conversions.misdirected(event, images.rawBucket());
        if (misdirected != null) { // never read an object the event's own ids do not name
            deadLetter(event, record, FailureReason.INVALID_EVENT, misdirected);
            return;
        }
        try (StudyLog log = StudyLog.of(event.studyId(), event.dicomId());
             KeyedLocks.Held held = locks.lock(event.dicomId())) {
            process(event, record);
        }
    }

    /** The event, or null once a record that is not an InstanceReceived is dead-lettered. */
    private InstanceReceived parse(ConsumerRecord<String, String> record) {
        try {
            if (record.value() == null) {
                throw new EventJson.InvalidEventException("empty record value", null);
            }
            return EventJson.read(record.value(), InstanceReceived.class);
        } catch (EventJson.InvalidEventException e) {
            unreadable(record, e.getMessage(), FailureReason.INVALID_EVENT, 0, List.of());
            return null;
        }
    }

    private void process(InstanceReceived event, ConsumerRecord<String, String> record) {
        String jpgKey = ObjectKeys.jpg(event.subjectId(), event.studyId(), event.dicomId());
        try {
            if (retry.call("check", () -> images.isAnnounced(event.dicomId(), jpgKey, event.sha256(), Converter.VERSION))) {
                count("skipped", "none");
                LOG.debugf("%s already converted from %s and announced", jpgKey, event.sha256());
                return;
            }
            byte[] dicom;
            try {
                dicom = retry.call("read", () -> images.readDicom(event.bucket(), event.objectKey(),
                        config.maxObjectBytes()));
            } catch (ObjectStoreException e) {
                if (!e.notFound()) {
                    throw e;
                }
                deadLetter(event, record, FailureReason.OBJECT_MISSING, e.getMessage());
                return;
            } catch (ConversionObjects.TooLargeException e) {
                deadLetter(event, record, FailureReason.TOO_LARGE, e.getMessage());
                return;
            }
            String sha256 = Conversions.sha256(dicom);
            if (!sha256.equals(event.sha256())) {
                LOG.warnf("%s/%s has sha256 %s, the event says %s; converting the bytes read", event.bucket(),
                        event.objectKey(), sha256, event.sha256());
            }
            ConversionResult result = converter.convert(dicom, Conversions.ids(event));
            dicom = null; // the bytes can go while the JPG is written and announced
            if (result instanceof Failed f) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted: " + f.message());
                }
                deadLetter(event, record, Conversions.reason(f.reason()), f.message());
                return;
            }
            announce(event, jpgKey, sha256, (Converted) result);
        } catch (RuntimeException e) {
            if (!stopping && !OutageRetry.isOutage(e) && !Thread.currentThread().isInterrupted()) {
                LOG.errorf(e, "converting %s failed unexpectedly", event.objectKey());
            }
            throw e; // an outage: delivered again; a bug: counted, tried again, then parked
        }
    }

    /** JPG first, then the event (awaiting the broker), then the marker that makes a redelivery a no-op. */
    private void announce(InstanceReceived event, String jpgKey, String sha256, Converted c) {
        retry.run("write", () -> images.putJpg(jpgKey, c.jpg(), sha256, Converter.VERSION));
        InstanceConverted converted = Conversions.converted(event, sha256, images.jpgBucket(), jpgKey, c,
                Clock.systemUTC().instant());
        Message<String> message = KafkaEvents.message(converted, SOURCE);
        retry.run("announce", () -> KafkaEvents.sendAndAwait(convertedEvents, message, config.sendTimeout()));
        retry.run("mark", () -> images.markAnnounced(event.dicomId(), message.getPayload(), sha256, Converter.VERSION));
        decodeTimer.record(Duration.ofNanos(c.timings().decodeNanos()));
        count("converted", "none");
        LOG.debugf("converted %s: %dx%d %s, %d bytes, %.0f ms", jpgKey, c.rows(), c.columns(), c.transferSyntaxUid(),
                c.jpg().length, c.timings().totalMillis());
    }

    private void deadLetter(InstanceReceived event, ConsumerRecord<String, String> record, FailureReason reason,
                            String message) {
        deadLetter(event, record, reason, message, 0, List.of());
    }

    private void deadLetter(InstanceReceived event, ConsumerRecord<String, String> record, FailureReason reason,
                            String message, int count, List<DeliveryAttempt> history) {
        LOG.warnf("dead letter %s for %s: %s", reason, event.objectKey(), message);
        DeadLetter dl = attempted(DeadLetters.of(STAGE, reason, message, record.topic(), event, record.value(),
                event.dicomId()), count, history);
        retry.run("dead-letter", () -> KafkaEvents.sendAndAwait(deadLetters, KafkaEvents.message(dl, SOURCE),
                config.sendTimeout()));
        count("failed", reason.name());
    }

    /**
     * A record that is not an InstanceReceived (or one set aside before it was read): dead-lettered
     * under its own record id and key (none when the key is oversized).
     */
    private void unreadable(ConsumerRecord<String, String> record, String message, FailureReason reason, int count,
                            List<DeliveryAttempt> history) {
        LOG.warnf("dead letter %s for record %s-%d@%d: %s", reason, record.topic(), record.partition(),
                record.offset(), message);
        DeadLetter dl = attempted(DeadLetters.unread(STAGE, reason, message, record.topic(), KafkaEvents.recordId(record),
                record.value()), count, history);
        String key = record.key() != null && record.key().length() <= KafkaEvents.MAX_ID_LENGTH ? record.key() : null;
        retry.run("dead-letter", () -> KafkaEvents.sendAndAwait(deadLetters,
                KafkaEvents.message(dl, SOURCE, key, Clock.systemUTC().instant()), config.sendTimeout()));
        count("failed", reason.name());
    }

    /**
     * Parks a record {@link DeliveryAttempts} gave up on (too many attempts, or oversized): as its
     * event when it is one, else as an unreadable record.
     */
    private void park(ConsumerRecord<String, String> record, FailureReason reason, String message, int count,
                      List<DeliveryAttempt> history) {
        InstanceReceived event = null;
        try {
            event = record.value() == null ? null : EventJson.read(record.value(), InstanceReceived.class);
        } catch (EventJson.InvalidEventException e) {
            // parked as the record it is
        }
        if (event != null) {
            deadLetter(event, record, reason, message, count, history);
        } else {
            unreadable(record, message, reason, count, history);
        }
    }

    private static DeadLetter attempted(DeadLetter dl, int count, List<DeliveryAttempt> history) {
        return count == 0 ? dl : dl.withAttempts(count, history);
    }

    private void count(String outcome, String reason) {
        registry.counter("cxr_convert_instances", "outcome", outcome, "reason", reason).increment();
    }
}
