package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import org.cxr.ingest.testing.TestDicoms;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Outages.BrokerDown.class)
class BrokerOutageTest {
    /** Also docs/reliability.md finding 4: the outage the producers ride out is logged as WARN, not an ERROR per record. */
    @Test
    void answers503AndRecordsNothing() throws Exception {
        long started = System.nanoTime();
        Outages.uploadsFailCleanly(TestDicoms.runBase());
        long windows = (System.nanoTime() - started) / 30_000_000_000L + 1; // cxr.log.kafka-outage.window-seconds
        List<String> lines = Files.readAllLines(Outages.BrokerDown.LOG);
        // JSON lines, as in production
        assertThat(lines).anyMatch(l -> l.contains("\"level\":\"WARN\"") && l.contains("SRMSG18206"));
        assertThat(lines).noneMatch(l -> l.contains("\"level\":\"ERROR\"") && (l.contains("SRMSG18206") || l.contains("SRMSG18212")));
        // one line per message id and window (without the filter: one per record, 7 and 4 here)
        assertThat(lines.stream().filter(l -> l.contains("SRMSG18206"))).hasSizeLessThanOrEqualTo((int) windows);
        assertThat(lines.stream().filter(l -> l.contains("SRMSG18212"))).hasSizeLessThanOrEqualTo((int) windows);
    }
}
