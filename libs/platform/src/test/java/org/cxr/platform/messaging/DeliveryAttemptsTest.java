package org.cxr.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.cxr.events.DeliveryAttempt;
import org.cxr.events.EventHeaders;
import org.cxr.events.FailureReason;
import org.cxr.local.infra.InfraProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt count on a real broker: a handler that throws (an Error included) is tried again and
 * then parked with its history; a process that died while handling a record counts when the next
 * process reads the attempt log; an outage at shutdown is not an attempt; a redriven record goes on
 * counting; oversized records are parked without being handled.
 */
class DeliveryAttemptsTest {
    final String topic = "cxr.test-" + UUID.randomUUID() + ".attempts";
    final AtomicBoolean stopping = new AtomicBoolean();
    final List<DeliveryAttempts> opened = new ArrayList<>();
    final OutageRetry retry = new OutageRetry(Duration.ofMillis(50), Duration.ofMillis(200), stopping::get,
            (w, e, p) -> { });

    record Parked(FailureReason reason, String message, int attempts, List<DeliveryAttempt> history) {
    }

    final List<Parked> parked = new ArrayList<>();
    final DeliveryAttempts.Parking parking = (reason, message, attempts, history) ->
            parked.add(new Parked(reason, message, attempts, history));

    DeliveryAttempts open(int maxAttempts) {
        DeliveryAttempts a = new DeliveryAttempts(Map.of("bootstrap.servers",
                InfraProcess.shared().endpoints().kafkaBootstrap()),
                new DeliveryAttempts.Settings("test", topic, maxAttempts, 64 * 1024), retry, stopping::get);
        opened.add(a);
        return a;
    }

    @AfterEach
    void close() {
        opened.forEach(DeliveryAttempts::close);
    }

    static ConsumerRecord<String, String> record(long offset, RecordHeaders headers) {
        return new ConsumerRecord<>("cxr.instance-received", 1, offset, 0L, TimestampType.CREATE_TIME, 8,
                2, "50000001", "{}", headers, java.util.Optional.empty());
    }

    @Test
    void anErrorFromTheHandlerIsTriedAgainThenParkedWithEveryAttempt() {
        DeliveryAttempts attempts = open(3);
        AtomicInteger calls = new AtomicInteger();
        attempts.run(record(10, new RecordHeaders()), () -> {
            calls.incrementAndGet();
            throw new StackOverflowError("decoder recursion");
        }, parking);
        assertThat(calls).hasValue(3);
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(FailureReason.INTERNAL_ERROR);
            assertThat(p.attempts()).isEqualTo(3);
            assertThat(p.message()).contains("3 attempts").contains("StackOverflowError: decoder recursion");
            assertThat(p.history()).extracting(DeliveryAttempt::number).containsExactly(1, 2, 3);
            assertThat(p.history()).extracting(DeliveryAttempt::outcome).containsOnly(DeliveryAttempt.FAILED);
            assertThat(p.history().get(0).by()).endsWith("/" + ProcessHandle.current().pid());
        });
        awaitGone(attempts, "cxr.instance-received-1@10"); // the parked record's entry is deleted
    }

    /** The record's entry is gone from the log as this process follows it (the tombstone came back). */
    static void awaitGone(DeliveryAttempts attempts, String key) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (attempts.inProgress().contains(key) && System.currentTimeMillis() < deadline) {
            sleep(50);
        }
        assertThat(attempts.inProgress()).doesNotContain(key);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRecordThatSucceedsOnItsSecondTryIsNotParked() {
        DeliveryAttempts attempts = open(3);
        AtomicInteger calls = new AtomicInteger();
        attempts.run(record(11, new RecordHeaders()), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("transient bug");
            }
        }, parking);
        assertThat(calls).hasValue(2);
        assertThat(parked).isEmpty();
        awaitGone(attempts, "cxr.instance-received-1@11");
    }

    @Test
    void aProcessThatDiedWhileHandlingARecordCountsInTheNextProcess() throws Exception {
        // process A writes the attempt, then "dies" (its handler never returns, its clients are gone)
        DeliveryAttempts a = open(2);
        CountDownLatch handling = new CountDownLatch(1);
        Thread dying = new Thread(() -> {
            try {
                a.run(record(12, new RecordHeaders()), () -> {
                    handling.countDown();
                    Thread.sleep(Long.MAX_VALUE);
                }, parking);
            } catch (RuntimeException e) {
                // interrupted below, after its clients were closed: nothing more is written
            }
        });
        dying.start();
        assertThat(handling.await(60, TimeUnit.SECONDS)).isTrue();
        a.close();
        dying.interrupt();
        dying.join(10_000);

        // process B reads the log: the attempt A started ended its process; B's own attempt fails too
        DeliveryAttempts b = open(2);
        AtomicInteger calls = new AtomicInteger();
        b.run(record(12, new RecordHeaders()), () -> {
            calls.incrementAndGet();
            throw new LinkageError("native decoder missing");
        }, parking);
        assertThat(calls).hasValue(1);
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p.attempts()).isEqualTo(2);
            assertThat(p.history()).extracting(DeliveryAttempt::outcome)
                    .containsExactly(DeliveryAttempt.PROCESS_ENDED, DeliveryAttempt.FAILED);
            assertThat(p.message()).contains("LinkageError");
        });

        // a third process finds nothing left of it
        assertThat(open(2).inProgress()).doesNotContain("cxr.instance-received-1@12");
    }

    @Test
    void aProcessThatDiesEveryTimeIsParkedByTheProcessAfterTheLast() throws Exception {
        for (int i = 0; i < 2; i++) {
            DeliveryAttempts dies = open(2);
            CountDownLatch handling = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    dies.run(record(13, new RecordHeaders()), () -> {
                        handling.countDown();
                        Thread.sleep(Long.MAX_VALUE);
                    }, parking);
                } catch (RuntimeException e) {
                    // as above
                }
            });
            t.start();
            assertThat(handling.await(60, TimeUnit.SECONDS)).isTrue();
            dies.close();
            t.interrupt();
            t.join(10_000);
        }
        AtomicInteger calls = new AtomicInteger();
        open(2).run(record(13, new RecordHeaders()), calls::incrementAndGet, parking);
        assertThat(calls).as("never handled a third time").hasValue(0);
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p.attempts()).isEqualTo(2);
            assertThat(p.message()).contains("the process ended while handling it");
            assertThat(p.history()).extracting(DeliveryAttempt::outcome).containsOnly(DeliveryAttempt.PROCESS_ENDED);
        });
    }

    @Test
    void anOutageAtShutdownIsNotAnAttempt() {
        DeliveryAttempts first = open(1);
        stopping.set(true);
        assertThatThrownBy(() -> first.run(record(14, new RecordHeaders()), () -> {
            throw new BrokerUnavailableException("broker gone", null);
        }, parking)).isInstanceOf(BrokerUnavailableException.class);
        stopping.set(false);
        AtomicInteger calls = new AtomicInteger();
        open(1).run(record(14, new RecordHeaders()), calls::incrementAndGet, parking);
        assertThat(calls).hasValue(1);
        assertThat(parked).isEmpty();
    }

    @Test
    void aRedrivenRecordGoesOnCountingWithAFreshBudget() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(EventHeaders.ATTEMPTS, "3".getBytes(StandardCharsets.US_ASCII)));
        AtomicInteger calls = new AtomicInteger();
        open(2).run(record(15, headers), () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("still broken");
        }, parking);
        assertThat(calls).hasValue(2);
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p.attempts()).isEqualTo(5);
            assertThat(p.history()).extracting(DeliveryAttempt::number).containsExactly(4, 5);
        });
    }

    @Test
    void oversizedRecordsAreParkedWithoutBeingHandled() {
        DeliveryAttempts attempts = open(3);
        RecordHeaders longId = new RecordHeaders();
        longId.add(new RecordHeader(EventHeaders.ID, "x".repeat(5000).getBytes(StandardCharsets.UTF_8)));
        RecordHeaders bigHeader = new RecordHeaders();
        bigHeader.add(new RecordHeader("traceparent", new byte[DeliveryAttempts.MAX_HEADER_BYTES + 1]));
        AtomicInteger calls = new AtomicInteger();
        attempts.run(record(16, longId), calls::incrementAndGet, parking);
        attempts.run(record(17, bigHeader), calls::incrementAndGet, parking);
        attempts.run(new ConsumerRecord<>("cxr.instance-received", 0, 18, "k".repeat(300), "{}"), calls::incrementAndGet,
                parking);
        ConsumerRecord<String, String> huge = new ConsumerRecord<>("cxr.instance-received", 0, 19, 0L,
                TimestampType.CREATE_TIME, 8, 100_000, "50000001", "{" + " ".repeat(99_998) + "}", new RecordHeaders(),
                java.util.Optional.empty());
        attempts.run(huge, calls::incrementAndGet, parking);
        assertThat(calls).hasValue(0);
        assertThat(parked).extracting(Parked::reason).containsOnly(FailureReason.INVALID_EVENT);
        assertThat(parked).extracting(Parked::message).satisfiesExactly(
                m -> assertThat(m).startsWith("ce_id of 5000 bytes"),
                m -> assertThat(m).startsWith("header traceparent of 1025 bytes"),
                m -> assertThat(m).startsWith("record key of 300 characters"),
                m -> assertThat(m).startsWith("record value of 100000 bytes"));
        // the dead letter's id falls back to the record's coordinates
        assertThat(KafkaEvents.recordId(record(16, longId))).isEqualTo("cxr.instance-received-1@16");
    }
}
