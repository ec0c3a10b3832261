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
}
