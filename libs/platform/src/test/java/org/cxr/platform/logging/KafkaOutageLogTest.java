package org.cxr.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

class KafkaOutageLogTest {
    private static final String UNABLE_TO_WRITE = "SRMSG18206: Unable to write to Kafka from channel %s (topic: %s)";
    private static final String NACKING = "SRMSG18212: Message %s from channel '%s' was not sent to Kafka topic '%s' - nacking message";

    private final AtomicLong clock = new AtomicLong();
    private final KafkaOutageLog rule = new KafkaOutageLog(Duration.ofSeconds(10), clock::get);

    /** A record as SmallRye's KafkaLogging hands it to the handlers. */
    private static ExtLogRecord smallRye(String pattern, Throwable cause, Object... params) {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, pattern, ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setLoggerName(KafkaOutageLog.LOGGER);
        record.setParameters(params);
        record.setThrown(cause);
        return record;
    }

    private static ExtLogRecord expiring() {
        return smallRye(UNABLE_TO_WRITE, new TimeoutException("Expiring 1 record(s) for cxr.ingest-0: 30001 ms has passed"),
                "ingest-out", "cxr.studies");
    }

    @Test
    void anOutageIsOneWarnPerWindowWithTheDroppedCountInTheNext() {
        ExtLogRecord first = expiring();
        assertThat(rule.isLoggable(first)).isTrue();
        assertThat(first.getLevel()).isEqualTo(Level.WARN);
        assertThat(first.getFormattedMessage()).isEqualTo("SRMSG18206: Unable to write to Kafka from channel ingest-out (topic: cxr.studies)");

        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        for (int i = 0; i < 5; i++) {
            ExtLogRecord repeat = expiring();
            assertThat(rule.isLoggable(repeat)).isFalse();
            assertThat(repeat.getLevel()).isEqualTo(Level.WARN);
        }

        clock.addAndGet(Duration.ofSeconds(7).toNanos());
        ExtLogRecord next = expiring();
        assertThat(rule.isLoggable(next)).isTrue();
        assertThat(next.getLevel()).isEqualTo(Level.WARN);
        assertThat(next.getFormattedMessage()).isEqualTo(
                "SRMSG18206: Unable to write to Kafka from channel ingest-out (topic: cxr.studies)"
                        + " (5 more like it dropped since the last one, at most one per 10 s)");

        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        ExtLogRecord quiet = expiring();
        assertThat(rule.isLoggable(quiet)).isTrue();
        assertThat(quiet.getFormattedMessage()).doesNotContain("dropped");
    }

    @Test
    void eachMessageIdHasItsOwnWindowAndTheCauseMayBeWrapped() {
        assertThat(rule.isLoggable(expiring())).isTrue();
        ExtLogRecord nack = smallRye(NACKING, new ExecutionException(new NetworkException("Disconnected")),
                "Message<7>", "ingest-out", "cxr.studies");
        assertThat(rule.isLoggable(nack)).isTrue();
        assertThat(nack.getLevel()).isEqualTo(Level.WARN);
        assertThat(rule.isLoggable(smallRye(NACKING, new NetworkException("again"), "m", "c", "t"))).isFalse();
    }

    @Test
    void everyHandlerWithTheFilterGetsTheSameAnswerForOneRecord() {
        ExtLogRecord record = expiring();
        assertThat(rule.isLoggable(record)).isTrue();
        assertThat(rule.isLoggable(record)).isTrue();
        ExtLogRecord dropped = expiring();
        assertThat(rule.isLoggable(dropped)).isFalse();
        assertThat(rule.isLoggable(dropped)).isFalse();
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(rule.isLoggable(expiring())).isTrue();
    }

    @Test
    void aRealWriteFailureStaysErrorEveryTime() {
        for (Throwable cause : new Throwable[] {
                new AuthorizationException("Not authorized to access topics: [cxr.studies]"),
                new RecordTooLargeException("The message is 2000000 bytes"),
                new IllegalStateException("serializer failed"),
                null}) {
            for (int i = 0; i < 3; i++) {
                ExtLogRecord record = smallRye(UNABLE_TO_WRITE, cause, "ingest-out", "cxr.studies");
                assertThat(rule.isLoggable(record)).isTrue();
                assertThat(record.getLevel()).isEqualTo(Level.ERROR);
                ExtLogRecord nack = smallRye(NACKING, cause, "m", "ingest-out", "cxr.studies");
                assertThat(rule.isLoggable(nack)).isTrue();
                assertThat(nack.getLevel()).isEqualTo(Level.ERROR);
            }
        }
    }

    @Test
    void otherLoggersAndOtherMessagesAreUntouched() {
        TimeoutException outage = new TimeoutException("Expiring 1 record(s)");
        for (int i = 0; i < 3; i++) {
            ExtLogRecord ours = smallRye(UNABLE_TO_WRITE, outage, "a", "b");
            ours.setLoggerName("org.cxr.ingest.messaging.StudyEvents");
            assertThat(rule.isLoggable(ours)).isTrue();
            assertThat(ours.getLevel()).isEqualTo(Level.ERROR);

            ExtLogRecord otherId = smallRye("SRMSG18207: Unable to dispatch message to Kafka", outage);
            assertThat(rule.isLoggable(otherId)).isTrue();
            assertThat(otherId.getLevel()).isEqualTo(Level.ERROR);

            ExtLogRecord info = smallRye(UNABLE_TO_WRITE, outage, "a", "b");
            info.setLevel(Level.INFO);
            assertThat(rule.isLoggable(info)).isTrue();
            assertThat(info.getLevel()).isEqualTo(Level.INFO);
        }
    }

    @Test
    void theQuarkusFilterAppliesTheRuleWithItsWindow() {
        KafkaOutageLogFilter filter = new KafkaOutageLogFilter(30);
        ExtLogRecord first = expiring();
        assertThat(filter.isLoggable(first)).isTrue();
        assertThat(first.getLevel()).isEqualTo(Level.WARN);
        assertThat(filter.isLoggable(expiring())).isFalse();
    }
}
