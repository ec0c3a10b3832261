package org.cxr.label.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.label.messaging.Broker.newStudy;
import static org.cxr.label.messaging.Broker.newSubject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.cxr.events.EventJson;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.label.messaging.Broker.Out;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A study's trace goes on through label, with the configuration it ships with (no span exported):
 * the W3C traceparent of the input is carried to the output, and the delivery's log lines carry
 * the trace id.
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class TracingTest {
    private final Broker broker = Broker.get();

    @Inject
    ObjectStore store;

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The consumer's log records, with the MDC they were written with. */
    private static final class Captured extends Handler {
        final List<ExtLogRecord> records = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord r) {
            ExtLogRecord e = (ExtLogRecord) r;
            e.copyAll(); // the MDC of the logging thread, now
            records.add(e);
        }

        synchronized List<ExtLogRecord> records() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theTraceOfAReportReceivedRecordGoesOnInWhatLabelEmitsAndInItsLog() throws InterruptedException {
        Logger consumerLog = Logger.getLogger(ReportReceivedConsumer.class.getName());
        Captured log = new Captured();
        consumerLog.addHandler(log);
        try {
            ReportReceived labelled = Broker.stored(store, newSubject(), newStudy(),
                    "IMPRESSION: No pneumothorax.".getBytes(StandardCharsets.UTF_8));
            ReportReceived missing = Broker.stored(store, newSubject(), newStudy(), null);
            String trace = hex(16);
            String otherTrace = hex(16);
            String parent = hex(8);
            broker.send(Topics.REPORT_RECEIVED, labelled.studyId(), EventJson.write(labelled),
                    Map.of("traceparent", "00-" + trace + "-" + parent + "-01"));
            broker.send(Topics.REPORT_RECEIVED, missing.studyId(), EventJson.write(missing),
                    Map.of("traceparent", "00-" + otherTrace + "-" + parent + "-01"));
            Map<String, List<Out>> out = broker.awaitEach(List.of(labelled.studyId(), missing.studyId()),
                    Duration.ofMillis(200));

            Out l = out.get(labelled.studyId()).get(0);
            assertThat(l.topic()).isEqualTo(Topics.REPORT_LABELLED);
            // version-traceId-spanId-flags: the same trace, a span of label's (not the sender's)
            assertThat(l.headers().get("traceparent")).matches("00-" + trace + "-[0-9a-f]{16}-01")
                    .doesNotContain(parent);
            Out d = out.get(missing.studyId()).get(0);
            assertThat(d.topic()).isEqualTo(Topics.LABEL_DLQ);
            assertThat(d.headers().get("traceparent")).startsWith("00-" + otherTrace + "-");
            // the dead letter's warning carries its trace id (a field of the JSON log line)
            assertThat(log.records()).filteredOn(r -> r.getFormattedMessage().contains(missing.studyId()))
                    .isNotEmpty().allSatisfy(r -> assertThat(r.getMdc("traceId")).isEqualTo(otherTrace));
        } finally {
            consumerLog.removeHandler(log);
        }
    }
}
