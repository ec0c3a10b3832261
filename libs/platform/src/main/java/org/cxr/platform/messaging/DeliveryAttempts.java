package org.cxr.platform.messaging;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.jboss.logging.Logger;

/**
 * Poison records never stop a stage or loop forever: every delivery of a record to the stage's
 * handler is counted, also across restarts, and after {@code maxAttempts} the record is parked in
 * the stage's dead-letter topic with the reason and its attempt history.
 * <p><b>Counting across restarts.</b> Before the handler runs, the attempt is written to the stage's
 * own compacted topic (the attempt log, e.g. {@code cxr.convert.attempts}) keyed by the record's
 * coordinates ({@code topic-partition@offset}) and acknowledged by the broker. A process killed while
 * it handles the record (kill -9, out of memory with {@code ExitOnOutOfMemoryError}, a native crash in
 * a decoder) cannot record anything afterwards; the entry it wrote before says an attempt started,
 * and the next delivery, in whatever process, reads it as an attempt that ended its process. Every
 * instance of the stage follows the whole log (a few bytes per record in flight) from start to end,
 * so a record that moves to another replica keeps its count. A handled record's entry is deleted
 * (a tombstone; compaction removes it).
 * <p><b>What counts.</b> Any {@link Throwable} from the handler (an exception, a
 * {@code StackOverflowError}, a linkage error) is an attempt; the handler is run again at once
 * until the limit. An outage ({@link OutageRetry#isOutage}) that ends the handler at shutdown is not
 * an attempt: the entry is withdrawn and the record is delivered again later. A record redriven by an
 * operator carries its earlier attempts in the header {@link EventHeaders#ATTEMPTS}: its count and
 * history go on, with a fresh budget of {@code maxAttempts} for this delivery.
 * <p><b>Oversized records</b> are parked at once (INVALID_EVENT), without running the handler: a
 * record key or {@code ce_id} longer than {@link KafkaEvents#MAX_ID_LENGTH}, a header value over
 * {@link #MAX_HEADER_BYTES}, or a value over {@code maxValueBytes} (records are claim checks).
 */
public final class DeliveryAttempts implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryAttempts.class);
    /** The largest header value a stage takes (CloudEvents attributes are short). */
    public static final int MAX_HEADER_BYTES = 1024;
    /** A stage's usual limit on a record value: events are claim checks of a few hundred bytes. */
    public static final int MAX_EVENT_BYTES = 64 * 1024;
    private static final String RUNNING = "running";
    private static final int MAX_ERROR_CHARS = 500;

    /** The stage's handling of one record; anything it throws is an attempt that failed. */
    @FunctionalInterface
    public interface Handler {
        void handle() throws Exception;
    }

    /** Sends the record to the stage's dead-letter topic (the stage builds the dead letter). */
    @FunctionalInterface
    public interface Parking {
        /**
         * @param attempts how many times the record was tried, earlier deliveries included (0: not tried)
         * @param history  the attempts that failed or ended their process, oldest first
         */
        void park(FailureReason reason, String message, int attempts, List<DeliveryAttempt> history);
    }

    /**
     * @param stage         the stage name (convert, label) for messages
     * @param topic         the stage's attempt log
     * @param maxAttempts   tries of one delivery before it is parked (at least 1)
     * @param maxValueBytes the largest record value the stage takes
     */
    public record Settings(String stage, String topic, int maxAttempts, int maxValueBytes) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
        }
    }

    /** The log's value: the attempts of one record so far. */
    record Entry(List<DeliveryAttempt> attempts) {
    }

    private final Settings settings;
    private final OutageRetry retry;
    private final BooleanSupplier stopping;
    private final String by;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> follower;
    private final Map<String, List<DeliveryAttempt>> log = new ConcurrentHashMap<>();
    /** Records this process finished whose tombstone the log has not shown yet (older values are stale). */
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread following;
    private volatile boolean closed;

    /**
     * Starts following the attempt log from the beginning (creating it, compacted, when it is missing).
     *
     * @param kafka    the channels' Kafka settings ({@code @Identifier("default-kafka-broker")})
     * @param retry    the stage's outage retry, for writes to the log while the broker is down
     * @param stopping true once the service shuts down
     */
    public DeliveryAttempts(Map<String, ?> kafka, Settings settings, OutageRetry retry, BooleanSupplier stopping) {
        this.settings = settings;
        this.retry = retry;
        this.stopping = stopping;
        this.by = host() + "/" + ProcessHandle.current().pid();
        Map<String, Object> p = new HashMap<>(KafkaClients.producer(kafka));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Map<String, Object> c = new HashMap<>(KafkaClients.consumer(kafka));
        c.remove(ConsumerConfig.GROUP_ID_CONFIG); // every instance reads all of it, without a group
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        follower = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
        following = new Thread(() -> {
            ensureTopic(kafka, settings.topic()); // here, not at construction: the broker may be down at start-up
            follow();
        }, settings.stage() + "-attempt-log");
        following.setDaemon(true);
        following.start();
    }

    /**
     * Runs the handler for a record, counting the attempt, and returns once the record is done:
     * handled, or parked. Throws (the record stays unacknowledged and is delivered again) only when
     * the handler ended by an outage at shutdown or the thread was interrupted.
     */
    public void run(ConsumerRecord<String, String> record, Handler handler, Parking parking) {
        String oversized = oversized(record);
        if (oversized != null) {
            LOG.warnf("%s: record %s set aside without processing: %s", settings.stage(), coordinates(record), oversized);
            parking.park(FailureReason.INVALID_EVENT, oversized, 0, List.of());
            return;
        }
        awaitCaughtUp();
        String key = coordinates(record);
        int earlier = earlierAttempts(record);
        List<DeliveryAttempt> history = new ArrayList<>(ended(log.getOrDefault(key, List.of())));
        while (true) {
            if (history.size() >= settings.maxAttempts()) {
                giveUp(key, record, history, earlier, parking);
                return;
            }
            history.add(new DeliveryAttempt(earlier + history.size() + 1, Instant.now(), by, RUNNING, null));
            write(key, history);
            try {
                handler.handle();
                delete(key);
                return;
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // the service stops: not the record's fault
                }
                if (OutageRetry.isOutage(t) || stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    history.remove(history.size() - 1); // not the record's fault: not an attempt
                    withdraw(key, history);
                    throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
                }
                DeliveryAttempt last = history.remove(history.size() - 1);
                history.add(new DeliveryAttempt(last.number(), last.startedAt(), by, DeliveryAttempt.FAILED,
                        truncate(t.toString())));
                LOG.errorf(t, "%s: attempt %d of record %s failed", settings.stage(), last.number(), key);
                write(key, history);
            }
        }
    }

    private void giveUp(String key, ConsumerRecord<String, String> record, List<DeliveryAttempt> history, int earlier,
            Parking parking) {
        DeliveryAttempt last = history.get(history.size() - 1);
        String why = DeliveryAttempt.FAILED.equals(last.outcome()) ? last.error()
                : "the process ended while handling it";
        String message = "set aside after " + history.size() + " attempts (" + settings.maxAttempts()
                + " allowed); the last: " + why;
        LOG.errorf("%s: record %s %s", settings.stage(), key, message);
        parking.park(FailureReason.INTERNAL_ERROR, message, earlier + history.size(), List.copyOf(history));
        delete(key);
    }

    /** Why the record is too large to handle, or null. */
    String oversized(ConsumerRecord<String, String> record) {
        if (record.key() != null && record.key().length() > KafkaEvents.MAX_ID_LENGTH) {
            return "record key of " + record.key().length() + " characters (at most " + KafkaEvents.MAX_ID_LENGTH + ")";
        }
        for (Header h : record.headers()) {
            int size = h.value() == null ? 0 : h.value().length;
            if (EventHeaders.ID.equals(h.key()) && size > KafkaEvents.MAX_ID_LENGTH) {
                return "ce_id of " + size + " bytes (at most " + KafkaEvents.MAX_ID_LENGTH + ")";
            }
            if (size > MAX_HEADER_BYTES) {
                return "header " + truncate(h.key()) + " of " + size + " bytes (at most " + MAX_HEADER_BYTES + ")";
            }
        }
        if (record.value() != null && record.serializedValueSize() > settings.maxValueBytes()) {
            return "record value of " + record.serializedValueSize() + " bytes (at most " + settings.maxValueBytes()
                    + "; events carry object keys, not objects)";
        }
        return null;
    }

    /** The attempts a redriven record had before ({@link EventHeaders#ATTEMPTS}), else 0. */
    static int earlierAttempts(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(EventHeaders.ATTEMPTS);
        if (h == null || h.value() == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(h.value(), StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An attempt still "running" in the log belongs to a process that is gone: it ended that process. */
    private static List<DeliveryAttempt> ended(List<DeliveryAttempt> attempts) {
        return attempts.stream().map(a -> RUNNING.equals(a.outcome())
                ? new DeliveryAttempt(a.number(), a.startedAt(), a.by(), DeliveryAttempt.PROCESS_ENDED, null) : a)
                .toList();
    }

    static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Writes the record's attempts and waits for the broker (retried through an outage). */
    private void write(String key, List<DeliveryAttempt> attempts) {
        List<DeliveryAttempt> copy = List.copyOf(attempts);
        deleting.remove(key);
        log.put(key, copy);
        String value = EventJson.mapper().valueToTree(new Entry(copy)).toString();
        retry.run("attempt-log", () -> {
            try {
                producer.send(new ProducerRecord<>(settings.topic(), key, value)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while writing the attempt log", e);
            } catch (Exception e) {
                throw new BrokerUnavailableException("the attempt log " + settings.topic() + " was not written: " + e, e);
            }
        });
    }

    /** Best effort at shutdown: if it is lost, the next delivery counts one attempt too many. */
    private void withdraw(String key, List<DeliveryAttempt> attempts) {
        try {
            if (attempts.isEmpty()) {
                delete(key);
            } else {
                log.put(key, List.copyOf(attempts));
                producer.send(new ProducerRecord<>(settings.topic(), key,
                        EventJson.mapper().valueToTree(new Entry(List.copyOf(attempts))).toString()));
            }
        } catch (RuntimeException e) {
            LOG.debugf("attempt of %s not withdrawn: %s", key, e);
        }
    }

    /** The record is done: its entry goes (not awaited; a lost tombstone only leaves a stale entry). */
    private void delete(String key) {
        deleting.add(key);
        log.remove(key);
        try {
            producer.send(new ProducerRecord<>(settings.topic(), key, null));
        } catch (RuntimeException e) {
            LOG.debugf("tombstone of %s not sent: %s", key, e);
        }
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = follower.partitionsFor(settings.topic(), Duration.ofMinutes(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            follower.assign(partitions);
            follower.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = follower.endOffsets(partitions, Duration.ofMinutes(5));
            while (!closed) {
                for (ConsumerRecord<String, String> r : follower.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream()
                        .allMatch(e -> follower.position(e.getKey(), Duration.ofSeconds(30)) >= e.getValue())) {
                    LOG.infof("%s: attempt log %s read (%d records in progress or parked)", settings.stage(),
                            settings.topic(), log.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.errorf(e, "%s: following the attempt log %s failed; attempts are counted in this process only",
                        settings.stage(), settings.topic());
            }
        } finally {
            caughtUp.countDown();
        }
    }

    /**
     * Another delivery (here or in another replica) wrote or deleted an entry. An entry written by
     * this process may come back after a later local change: the longer history wins.
     */
    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            deleting.remove(r.key());
            log.remove(r.key());
            return;
        }
        if (deleting.contains(r.key())) {
            return; // written before this process finished the record
        }
        try {
            List<DeliveryAttempt> attempts = EventJson.mapper().readValue(r.value(), Entry.class).attempts();
            log.merge(r.key(), attempts, (mine, theirs) -> theirs.size() >= mine.size() ? theirs : mine);
        } catch (Exception e) {
            LOG.warnf("%s: unreadable attempt log record %s ignored: %s", settings.stage(), r.key(), e.getMessage());
        }
    }

    /** The first record waits until the log has been read (a restart must see what it holds). */
    private void awaitCaughtUp() {
        try {
            if (!caughtUp.await(2, TimeUnit.MINUTES)) {
                LOG.warnf("%s: the attempt log is not read yet; counting from what is known", settings.stage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while reading the attempt log", e);
        }
    }

    /** Records with entries: in progress, or parked but not yet deleted (for tests and metrics). */
    Set<String> inProgress() {
        return log.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    private static void ensureTopic(Map<String, ?> kafka, String topic) {
        Map<String, Object> c = new HashMap<>(KafkaClients.admin(kafka));
        c.put("default.api.timeout.ms", 10_000);
        c.put("request.timeout.ms", 5_000);
        try (Admin admin = Admin.create(c)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.ms", "600000", "min.cleanable.dirty.ratio", "0.1")))).all().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!(cause instanceof TopicExistsException)) {
                // no right to create topics (the platform creates them) or the broker is down: it follows later
                LOG.debugf("attempt log %s not created here: %s", topic, cause.toString());
            }
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "...";
    }

    @Override
    public void close() {
        closed = true;
        follower.wakeup();
        try {
            following.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
