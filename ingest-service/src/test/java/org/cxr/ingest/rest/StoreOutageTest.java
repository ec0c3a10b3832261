package org.cxr.ingest.rest;

import org.cxr.ingest.testing.TestDicoms;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Outages.StoreDown.class)
class StoreOutageTest {
    @Test
    void answers503AndRecordsNothing() throws Exception {
        Outages.uploadsFailCleanly(TestDicoms.runBase());
    }

    /** An outage is retried with backoff, but not forever: the file ends in quarantine with the reason. */
    @Test
    void dropFolderRetriesEndInQuarantine() throws Exception {
        java.nio.file.Path drop = java.nio.file.Path.of(Outages.DROP_FOLDER).toAbsolutePath();
        java.nio.file.Files.createDirectories(drop);
        long run = TestDicoms.runBase();
        java.nio.file.Files.write(drop.resolve("out-" + run + ".dcm"), TestDicoms.bytes(TestDicoms.spec("MRN-DQ-" + run, run, 1)));
        java.nio.file.Path reason = drop.resolve("quarantine/out-" + run + ".dcm.reason.txt");
        ImportAndDropFolderTest.awaitExists(reason, 40_000);
        org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(reason))
                .startsWith("UNAVAILABLE: 3 attempts failed");
    }
}
