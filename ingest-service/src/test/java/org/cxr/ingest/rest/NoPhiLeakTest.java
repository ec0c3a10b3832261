package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** No PatientName, PatientID, birth date or original UID survives in the stored copy, the events or the logs. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class NoPhiLeakTest {
    static final long RUN = TestDicoms.runBase();
    static final List<String> LOG = new ArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            StringBuilder sb = new StringBuilder(r.getLoggerName()).append(' ');
            sb.append(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
            if (r instanceof ExtLogRecord e) {
                sb.append(' ').append(e.getMdcCopy());
            }
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                sb.append(' ').append(t);
            }
            synchronized (LOG) {
                LOG.add(sb.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void capture() {
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void release() {
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    @Test
    void identityStaysInside() throws Exception {
        String patientId = "MRN-PHI-" + RUN;
        TestDicoms.Spec a = TestDicoms.spec(patientId, RUN, 1);
        TestDicoms.Spec b = TestDicoms.spec(patientId, RUN, 2);
        String studyId = given().contentType("application/dicom").body(TestDicoms.bytes(a)).post("/studies/instances").then()
                .extract().path("results[0].studyId");
        ReportAndStowTest.stow("/dicomweb/studies", TestDicoms.bytes(b)).statusCode(200);
        given().contentType("application/dicom").body(TestDicoms.bytes(a.withSeed(3))).post("/studies/instances"); // conflict
        var missing = TestDicoms.dataset(TestDicoms.spec(patientId, RUN + 1, 1));
        missing.remove(org.cxr.dicom.Tag.StudyInstanceUID);
        given().contentType("application/dicom").body(org.cxr.dicom.DicomWriter.toBytes(missing, "1.2.840.10008.1.2.1"))
                .post("/studies/instances"); // rejected
        given().contentType("text/plain").body("FINDINGS: Hortensia Quackenbush (MRN " + patientId + ", DOB 03/12/1947) is stable.")
                .put("/studies/" + a.studyUid() + "/report").then().statusCode(200);

        String[] phi = {patientId, "Quackenbush", "Hortensia", TestDicoms.BIRTH_DATE, "03/12/1947", a.studyUid(), a.sopUid(),
                b.sopUid(), TestDicoms.ACCESSION, TestDicoms.INSTITUTION};

        // stored copies (DICOMs and report) and their keys
        String subjectId = given().contentType("application/dicom").body(TestDicoms.bytes(a)).post("/studies/instances")
                .then().extract().path("results[0].subjectId");
        String dir = "files/p" + subjectId.substring(0, 2) + "/p" + subjectId + "/s" + studyId;
        List<String> keys = Infra.store().listKeysToList("cxr-dicom", dir + "/");
        keys.addAll(Infra.store().listKeysToList("cxr-reports", dir));
        assertThat(keys).hasSize(3);
        for (String key : keys) {
            String bucket = key.endsWith(".txt") ? "cxr-reports" : "cxr-dicom";
            String content = new String(Infra.store().get(bucket, key), StandardCharsets.ISO_8859_1);
            assertThat(content).as(key).isNotEmpty();
            for (String s : phi) {
                assertThat(content).as(key + " contains " + s).doesNotContain(s);
                assertThat(key).doesNotContain(s);
            }
        }
        // events
        var events = EventTap.get().await(e -> studyId.equals(e.key()), 3);
        assertThat(events).extracting(EventTap.Event::topic).contains(Topics.INSTANCE_RECEIVED, Topics.REPORT_RECEIVED);
        for (EventTap.Event e : events) {
            for (String s : phi) {
                assertThat(e.value() + e.headers()).doesNotContain(s);
            }
        }
        // logs: the capture works (it saw the rejection and the stored instance), and holds no identifier
        List<String> lines;
        synchronized (LOG) {
            lines = List.copyOf(LOG);
        }
        assertThat(lines).anyMatch(l -> l.contains("MISSING_UID"));
        assertThat(lines).anyMatch(l -> l.contains(studyId));
        for (String line : lines) {
            for (String s : phi) {
                assertThat(line).as("log line").doesNotContain(s);
            }
        }
        // ingest's own tables hold digests, never the identifiers
        assertThat(Infra.count("select count(*) from subject where patient_key like ?", "%" + patientId + "%")).isZero();
    }

    /**
     * Malformed requests carrying identifiers (in the charset, the boundary, the query, the body)
     * are refused with fixed messages; neither the answer nor any log line repeats them, and no
     * request ends in Quarkus's own unmapped-exception log line (which logs the URI with its query).
     */
    @Test
    void malformedRequestsRepeatNothing() throws Exception {
        String mrn = "53049" + (RUN % 1000);
        String name = "McQuackenbush";
        TestDicoms.Spec a = TestDicoms.spec("MRN-E-" + RUN, RUN + 7, 1);
        String path = "/studies/" + a.studyUid() + "/report";
        List<String> bodies = new ArrayList<>();
        // identifiers in the query string are refused before anything else (400); in headers, the charset is checked
        bodies.add(given().contentType("text/plain; charset='" + name + "-" + mrn).queryParam("patientId", mrn)
                .body(("FINDINGS: " + name).getBytes(StandardCharsets.UTF_8)).put(path).then().statusCode(400).extract().asString());
        bodies.add(given().contentType("text/plain; charset='" + name + "-" + mrn).header("X-Patient-ID", mrn)
                .body(("FINDINGS: " + name).getBytes(StandardCharsets.UTF_8)).put(path).then().statusCode(415).extract().asString());
        bodies.add(given().contentType("text/plain; charset=" + mrn).body(("FINDINGS: " + name).getBytes(StandardCharsets.UTF_8)).put(path)
                .then().statusCode(415).extract().asString());
        bodies.add(given().contentType("multipart/form-data; boundary=").queryParam("patientId", mrn)
                .body((name + " " + mrn).getBytes(StandardCharsets.UTF_8)).post("/studies/instances")
                .then().statusCode(400).extract().asString());
        bodies.add(given().contentType("multipart/related; type=\"application/dicom\"")
                .body(("--x\r\nContent-Type: application/dicom\r\n\r\n" + name + " " + mrn + "\r\n--x--")
                        .getBytes(StandardCharsets.UTF_8)).post("/dicomweb/studies").then().statusCode(400).extract().asString());
        bodies.add(given().contentType("application/json").body("{\"path\": \"/import/" + name + " MRN " + mrn + "\", \"layout\": ")
                .post("/imports").then().statusCode(400).extract().asString());
        bodies.add(given().contentType("application/json").body("{\"path\": {\"patient\": \"" + name + "\"}, \"layout\": " + mrn + "}")
                .post("/imports").then().statusCode(400).extract().asString());
        bodies.add(given().contentType("application/json").body("{\"path\": \"/nonexistent/" + name + "-" + mrn + "\"}")
                .post("/imports").then().statusCode(400).extract().asString());
        for (String body : bodies) {
            assertThat(body).doesNotContain(mrn).doesNotContain(name);
        }
        List<String> lines;
        synchronized (LOG) {
            lines = List.copyOf(LOG);
        }
        for (String line : lines) {
            assertThat(line).as("log line").doesNotContain(mrn).doesNotContain(name).doesNotContain("HTTP Request to");
        }
    }
}
