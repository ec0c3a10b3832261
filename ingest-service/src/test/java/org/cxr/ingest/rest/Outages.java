package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.OutageResource;
import org.cxr.ingest.testing.TestDicoms;

import io.quarkus.test.junit.QuarkusTestProfile;

/** With the object store or the broker down, uploads answer 503 + Retry-After and nothing is recorded or announced. */
public final class Outages {
    static final String DROP_FOLDER = "target/drop-folder-store-down";

    private Outages() {
    }

    public static class StoreDown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OutageResource.class, Map.of("down", "s3")));
        }

        /** A drop folder of its own whose retries end soon. */
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cxr.ingest.drop-folder", DROP_FOLDER, "cxr.ingest.drop-folder-max-attempts", "3",
                    "cxr.ingest.drop-folder-max-backoff", "1s");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    public static class BrokerDown implements QuarkusTestProfile {
        /** A log file of this run, filtered like the console, to see how the producers report the outage. */
        static final java.nio.file.Path LOG = java.nio.file.Path.of("target",
                "broker-outage-" + ProcessHandle.current().pid() + ".log");

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OutageResource.class, Map.of("down", "kafka")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.filter", "kafka-outage");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static void uploadsFailCleanly(long run) throws Exception {
        long instances = Infra.count("select count(*) from instance");
        long reports = Infra.count("select count(*) from report_revision");
        int events = EventTap.get().all().size();
        TestDicoms.Spec spec = TestDicoms.spec("MRN-OUT-" + run, run, 1);
        given().contentType("application/dicom").body(TestDicoms.bytes(spec)).post("/studies/instances").then()
                .statusCode(503).header("Retry-After", "5");
        given().multiPart("a", "a.dcm", TestDicoms.bytes(spec), "application/dicom").post("/studies/instances").then()
                .statusCode(503);
        ReportAndStowTest.stow("/dicomweb/studies", TestDicoms.bytes(spec)).statusCode(503);
        given().contentType("text/plain").header("X-Patient-ID", "MRN-OUT-" + run).header("X-Issuer-Of-Patient-ID", "SEGH")
                .body("IMPRESSION: fine.")
                .put("/studies/" + spec.studyUid() + "/report").then().statusCode(503);
        Thread.sleep(1500);
        assertThat(Infra.count("select count(*) from instance")).isEqualTo(instances);
        assertThat(Infra.count("select count(*) from report_revision")).isEqualTo(reports);
        assertThat(EventTap.get().all()).hasSize(events);
        io.restassured.RestAssured.given().get(org.cxr.ingest.testing.Api.management("/q/health/ready")).then().statusCode(503);
    }
}
