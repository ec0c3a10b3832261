package org.cxr.ingest.hl7;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.cxr.events.Topics;
import org.cxr.ingest.dimse.DimseIntake;
import org.cxr.ingest.dimse.HospitalFixtures;
import org.cxr.ingest.dimse.Peers;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.NanoTimeGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Reports matched by accession number, end to end on the real broker, database and store: HL7
 * ORU^R01 from HAPI's MLLP client and the REST call, with images from dcmtk's storescu and REST
 * uploads. A report that comes before its images waits and is recorded when they arrive; a
 * corrected result is a new revision; the sender's patient must be the study's.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class HospitalReportsTest {
    static final long RUN = TestDicoms.runBase();
    static HapiContext hapi;

    @Inject
    Hl7Listener hl7;
    @Inject
    DimseIntake dimse;
    @Inject
    Pseudonyms pseudonyms;
    @Inject
    org.cxr.ingest.service.IntakeService intake;
    @TempDir
    Path tmp;

    @BeforeAll
    static void client() {
        hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.getParserConfiguration().setIdGenerator(new NanoTimeGenerator());
    }

    @AfterAll
    static void close() throws Exception {
        hapi.close();
    }

    /** A realistic ORU^R01: the patient of TestDicoms (issuer SEGH, as its IssuerOfPatientID), several OBX, escapes. */
    static String oru(String control, String patientId, String accession, String status, String... lines) {
        StringBuilder m = new StringBuilder("MSH|^~\\&|RIS|GENERAL|CXR|INGEST|20240105103000||ORU^R01^ORU_R01|" + control
                + "|P|2.5.1\r"
                + "PID|1||" + patientId + "^^^SEGH^MR||Quackenbush^Hortensia^Maple||19470312|F\r"
                + "OBR|1|PL-" + accession + "|" + accession + "^RIS|71046^XR CHEST 2 VIEWS^CPT|||20240105093000|||||||||||||||"
                + "20240105102900|||" + status + "\r");
        for (int i = 0; i < lines.length; i++) {
            m.append("OBX|").append(i + 1).append("|TX|18782-3^RADIOLOGY REPORT^LN||").append(lines[i]).append("||||||")
                    .append(status).append("\r");
        }
        return m.toString();
    }

    Message send(String er7) throws Exception {
        Connection c = hapi.newClient("127.0.0.1", hl7.port().orElseThrow(), false);
        try {
            return c.getInitiator().sendAndReceive(hapi.getPipeParser().parse(er7));
        } finally {
            c.close();
        }
    }

    static String get(Message m, String path) throws Exception {
        return new Terser(m).get(path);
    }

    String studyId(String studyUid) {
        return HospitalFixtures.column("select study_id from study where study_key = ?", pseudonyms.study(studyUid)).get(0);
    }

    static long revisions(String studyId) {
        return Infra.count("select count(*) from report_revision where study_id = ?", studyId);
    }

    String currentReport(String studyId) {
        String key = HospitalFixtures.column("select object_key from report_revision where study_id = ? order by revision desc limit 1",
                studyId).get(0);
        return new String(Infra.store().get("cxr-reports", key), StandardCharsets.UTF_8);
    }

    @Test
    void anHl7ReportBeforeItsImagesWaitsThenCorrectionsAreRevisions() throws Exception {
        Peers.requireDcmtk();
        String patient = "MRN-HL7-" + RUN;
        String accession = "ACC-H-" + RUN;
        Message waiting = send(oru("C1-" + RUN, patient, accession, "F",
                "FINDINGS: Mrs. Quackenbush has a normal heart size.", "Lungs clear \\T\\ no effusion.",
                "IMPRESSION: No acute disease."));
        assertThat(get(waiting, "/MSA-1")).isEqualTo("AA");
        assertThat(get(waiting, "/MSA-2")).isEqualTo("C1-" + RUN);
        assertThat(get(waiting, "/ERR-4")).isEqualTo("I");
        assertThat(Infra.count("select count(*) from pending_report where accession_key = ?", pseudonyms.accession(accession)))
                .isEqualTo(1);
        // nothing identifying waits in the database: digests and the scrubbed text only
        assertThat(HospitalFixtures.column("select patient_keys || report_text from pending_report where accession_key = ?",
                pseudonyms.accession(accession)).get(0)).doesNotContain(patient).doesNotContain("Quackenbush");

        TestDicoms.Spec spec = TestDicoms.spec(patient, RUN + 1, 1);
        Path image = HospitalFixtures.write(tmp, "h.dcm", HospitalFixtures.instance(spec, accession));
        Peers.Result stored = Peers.storescu("hl7-images", dimse.port().orElseThrow(), "STORESCU", List.of(image), "-xe");
        assertThat(stored.exit()).as(stored.toString()).isZero();
        String studyId = studyId(spec.studyUid());
        assertThat(HospitalFixtures.awaitCount(1, "select count(*) from report_revision where study_id = ?", studyId)).isEqualTo(1);
        // the waiting row is removed after the revision is recorded (its own transaction)
        assertThat(HospitalFixtures.awaitNone("select count(*) from pending_report where accession_key = ?",
                pseudonyms.accession(accession))).isZero();
        assertThat(currentReport(studyId)).isEqualTo("""
                FINDINGS: Mrs. ___ has a normal heart size.
                Lungs clear & no effusion.
                IMPRESSION: No acute disease.""");
        List<EventTap.Event> announced = EventTap.get().await(EventTap.study(Topics.REPORT_RECEIVED, studyId), 1);
        assertThat(announced).hasSize(1);
        assertThat(announced.get(0).value()).contains("\"source\":\"HL7\"").contains("\"revision\":1");

        // a corrected result is a new revision; the same text again changes nothing
        Message corrected = send(oru("C2-" + RUN, patient, accession, "C", "FINDINGS: Small left effusion.",
                "IMPRESSION: Small left pleural effusion."));
        assertThat(get(corrected, "/MSA-1")).isEqualTo("AA");
        assertThat(corrected.encode()).doesNotContain("ERR|");
        assertThat(revisions(studyId)).isEqualTo(2);
        assertThat(currentReport(studyId)).isEqualTo("FINDINGS: Small left effusion.\nIMPRESSION: Small left pleural effusion.");
        assertThat(get(send(oru("C3-" + RUN, patient, accession, "C", "FINDINGS: Small left effusion.",
                "IMPRESSION: Small left pleural effusion.")), "/MSA-1")).isEqualTo("AA");
        assertThat(revisions(studyId)).isEqualTo(2);

        // preliminary: acknowledged with a warning, not stored
        Message preliminary = send(oru("C4-" + RUN, patient, accession, "P", "FINDINGS: pending."));
        assertThat(get(preliminary, "/MSA-1")).isEqualTo("AA");
        assertThat(get(preliminary, "/ERR-4")).isEqualTo("W");
        assertThat(revisions(studyId)).isEqualTo(2);

        // another patient than the study's: AE, unknown key identifier, nothing stored
        Message other = send(oru("C5-" + RUN, "SOMEONE-ELSE-" + RUN, accession, "C", "FINDINGS: wrong patient."));
        assertThat(get(other, "/MSA-1")).isEqualTo("AE");
        assertThat(get(other, "/ERR-3-1")).isEqualTo("204");
        assertThat(other.encode()).doesNotContain("SOMEONE-ELSE").doesNotContain(accession);
        assertThat(revisions(studyId)).isEqualTo(2);

        // a malformed message on the port: AR, and the listener goes on
        try (Socket s = new Socket("127.0.0.1", hl7.port().orElseThrow())) {
            s.setSoTimeout(5000);
            new MinLLPWriter(s.getOutputStream()).writeMessage("PID|1||" + patient + "\rOBR|1||" + accession + "\r");
            assertThat(new MinLLPReader(s.getInputStream()).getMessage()).contains("MSA|AR").doesNotContain(patient);
        }
        assertThat(get(send(oru("C6-" + RUN, patient, accession, "F", "FINDINGS: Small left effusion.",
                "IMPRESSION: Small left pleural effusion.")), "/MSA-1")).isEqualTo("AA");
    }

    @Test
    void reportsByAccessionNumberOverRest() throws Exception {
        String patient = "MRN-REST-" + RUN;
        String known = "ACC-R-" + RUN;
        TestDicoms.Spec spec = TestDicoms.spec(patient, RUN + 2, 1);
        given().contentType("application/dicom").body(HospitalFixtures.instance(spec, known)).post("/studies/instances")
                .then().statusCode(200).body("results[0].status", equalTo("ACCEPTED"));
        String studyId = studyId(spec.studyUid());

        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "text", "IMPRESSION: Normal chest.",
                        "patientId", patient, "issuerOfPatientId", "SEGH"))
                .post("/reports").then().statusCode(200).body("status", equalTo("ACCEPTED")).body("revision", equalTo(1))
                .body("studyId", equalTo(studyId));
        assertThat(currentReport(studyId)).isEqualTo("IMPRESSION: Normal chest.");

        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "text", "IMPRESSION: Normal chest.",
                "status", "P")).post("/reports").then().statusCode(200).body("status", equalTo("IGNORED"));
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "text", "IMPRESSION: x", "patientId",
                "NOT-" + patient, "issuerOfPatientId", "SEGH")).post("/reports").then().statusCode(409)
                .body("reason", equalTo("ID_CLASH"));
        given().contentType(ContentType.JSON).body(Map.of("text", "IMPRESSION: x")).post("/reports").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "text", "  ")).post("/reports")
                .then().statusCode(422).body("reason", equalTo("EMPTY_REPORT"));

        // before its images: 202 WAITING, recorded when an upload with that accession number arrives
        String later = "ACC-R2-" + RUN;
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", later, "text", "IMPRESSION: Later report."))
                .post("/reports").then().statusCode(202).body("status", equalTo("WAITING"));
        TestDicoms.Spec laterSpec = TestDicoms.spec(patient, RUN + 3, 1);
        given().contentType("application/dicom").body(HospitalFixtures.instance(laterSpec, later)).post("/studies/instances")
                .then().statusCode(200);
        String laterStudy = studyId(laterSpec.studyUid());
        assertThat(HospitalFixtures.awaitCount(1, "select count(*) from report_revision where study_id = ?", laterStudy)).isEqualTo(1);
        assertThat(currentReport(laterStudy)).isEqualTo("IMPRESSION: Later report.");
        List<EventTap.Event> events = EventTap.get().await(EventTap.study(Topics.REPORT_RECEIVED, laterStudy), 1);
        assertThat(events.get(0).value()).contains("\"source\":\"REST\"");

        // an accession number on two studies needs the StudyInstanceUID
        TestDicoms.Spec twin = TestDicoms.spec(patient, RUN + 4, 1);
        given().contentType("application/dicom").body(HospitalFixtures.instance(twin, known)).post("/studies/instances")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "text", "IMPRESSION: Which one?"))
                .post("/reports").then().statusCode(409).body("reason", equalTo("ID_CLASH"));
        given().contentType(ContentType.JSON).body(Map.of("accessionNumber", known, "studyInstanceUid", twin.studyUid(),
                "text", "IMPRESSION: This one.")).post("/reports").then().statusCode(200).body("status", equalTo("ACCEPTED"))
                .body("studyId", equalTo(studyId(twin.studyUid())));
    }

    /**
     * A value the database refuses while recording a matched report (here: research ids of a study
     * it does not hold, a foreign-key violation) is the input's fault: REJECTED INVALID_VALUE, like
     * every other intake path, not an exception out of the HL7/REST handler; nothing is recorded.
     */
    @Test
    void aReportTheDatabaseRefusesIsRejectedInvalidValue() {
        long revisions = Infra.count("select count(*) from report_revision");
        var r = intake.receiveReport(new org.cxr.ingest.service.ResearchIdentity("19999999", "59999999", null, 0),
                "IMPRESSION: clear.".getBytes(StandardCharsets.UTF_8), "UTF-8", java.util.Set.of(),
                org.cxr.events.Source.HL7);
        assertThat(r.status()).isEqualTo(org.cxr.ingest.domain.intake.Outcome.REJECTED);
        assertThat(r.reason()).isEqualTo(org.cxr.ingest.domain.intake.RejectReason.INVALID_VALUE);
        assertThat(Infra.count("select count(*) from report_revision")).isEqualTo(revisions);
    }
}
