package org.cxr.ingest.dimse;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.cxr.ingest.hl7.Hl7Listener;
import org.cxr.ingest.rest.Outages;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With the object store down: C-STORE answers 0xA700 (out of resources), HL7 AR, REST by accession 503; nothing is recorded or announced. */
@QuarkusTest
@TestProfile(Outages.StoreDown.class)
class HospitalOutageTest {
    @Inject
    DimseIntake dimse;
    @Inject
    Hl7Listener hl7;
    @TempDir
    Path tmp;

    @Test
    void everyHospitalEntryRefusesCleanlyWhileTheStoreIsDown() throws Exception {
        Peers.requireDcmtk();
        long run = TestDicoms.runBase();
        long instances = Infra.count("select count(*) from instance");
        long reports = Infra.count("select count(*) from report_revision");
        int events = EventTap.get().all().size();
        TestDicoms.Spec spec = TestDicoms.spec("MRN-OUTAGE-" + run, run, 1);
        Path file = HospitalFixtures.write(tmp, "o.dcm", HospitalFixtures.instance(spec, "ACC-O-" + run));
        Peers.Result r = Peers.storescu("outage", dimse.port().orElseThrow(), "STORESCU", List.of(file), "-xe");
        assertThat(r.log()).as(r.toString()).contains("Received Store Response (Refused: OutOfResources)");

        String oru = "MSH|^~\\&|RIS|GENERAL|CXR|INGEST|20240105103000||ORU^R01^ORU_R01|OUT-" + run + "|P|2.5.1\r"
                + "PID|1||MRN-OUTAGE-" + run + "^^^SEGH^MR\r"
                + "OBR|1||ACC-O-" + run + "||||||||||||||||||||||F\r"
                + "OBX|1|TX|X||IMPRESSION: fine.||||||F\r"
                + "OBX|2|ST|110180^Study Instance UID^DCM||" + spec.studyUid() + "||||||F\r";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", hl7.port().orElseThrow())) {
            s.setSoTimeout(30_000);
            new MinLLPWriter(s.getOutputStream()).writeMessage(oru);
            assertThat(new MinLLPReader(s.getInputStream()).getMessage()).contains("MSA|AR|OUT-" + run).contains("207^");
        }
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", "ACC-O-" + run, "studyInstanceUid", spec.studyUid(),
                "patientId", "MRN-OUTAGE-" + run, "issuerOfPatientId", "SEGH", "text", "IMPRESSION: fine."))
                .post("/reports").then().statusCode(503).header("Retry-After", "5");

        Thread.sleep(1000);
        assertThat(Infra.count("select count(*) from instance")).isEqualTo(instances);
        assertThat(Infra.count("select count(*) from report_revision")).isEqualTo(reports);
        assertThat(EventTap.get().all()).hasSize(events);
    }
}
