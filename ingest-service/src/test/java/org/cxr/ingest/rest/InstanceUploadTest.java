package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class InstanceUploadTest {
    static final long RUN = TestDicoms.runBase();

    static ValidatableResponse upload(byte[] dicom) {
        return given().contentType("application/dicom").body(dicom).post("/studies/instances").then();
    }

    @Test
    void acceptedThenDuplicateThenConflictAnnouncedOnce() throws Exception {
        TestDicoms.Spec spec = TestDicoms.spec("MRN-A-" + RUN, RUN, 1);
        byte[] dicom = TestDicoms.bytes(spec);
        var first = upload(dicom).statusCode(200).body("results[0].status", equalTo("ACCEPTED"))
                .body("results[0].reason", nullValue()).extract().jsonPath();
        String subjectId = first.getString("results[0].subjectId");
        String studyId = first.getString("results[0].studyId");
        String dicomId = first.getString("results[0].dicomId");
        assertThat(subjectId).matches("1\\d{7}");
        assertThat(studyId).matches("5\\d{7}");
        assertThat(dicomId).matches("[0-9a-f]{8}(-[0-9a-f]{8}){4}");

        upload(dicom).statusCode(200).body("results[0].status", equalTo("DUPLICATE"))
                .body("results[0].dicomId", equalTo(dicomId)).body("results[0].studyId", equalTo(studyId));
        byte[] changed = TestDicoms.bytes(spec.withSeed(99)); // same SOPInstanceUID, other pixels
        upload(changed).statusCode(200).body("results[0].status", equalTo("CONFLICT"))
                .body("results[0].dicomId", equalTo(dicomId));
        upload(changed).statusCode(200).body("results[0].status", equalTo("CONFLICT"));

        List<EventTap.Event> events = EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, studyId), 1);
        assertThat(events).hasSize(1);
        InstanceReceived ev = EventJson.read(events.get(0).value(), InstanceReceived.class);
        assertThat(ev.dicomId()).isEqualTo(dicomId);
        assertThat(ev.source()).isEqualTo(Source.REST);
        assertThat(ev.objectKey()).isEqualTo(ObjectKeys.dicom(subjectId, studyId, dicomId));
        assertThat(events.get(0).headers()).containsEntry(EventHeaders.ID, ev.eventId())
                .containsEntry(EventHeaders.SUBJECT, studyId);

        // the stored object is the de-identified copy the event describes; the original is kept despite the conflict
        byte[] stored = Infra.store().get("cxr-dicom", ev.objectKey());
        assertThat(stored).hasSize((int) ev.sizeBytes());
        assertThat(sha256(stored)).isEqualTo(ev.sha256());
        assertThat(DicomReader.read(stored).dataset().getString(Tag.PatientID)).isEqualTo(subjectId);
        assertThat(Infra.count("select count(*) from instance_conflict where dicom_id = ?", dicomId)).isEqualTo(1);
        assertThat(Infra.count("select count(*) from instance where dicom_id = ?", dicomId)).isEqualTo(1);
    }

    @Test
    void samePatientKeepsItsSubjectAndStudyAcrossInstances() {
        String patient = "MRN-B-" + RUN;
        var a = upload(TestDicoms.bytes(TestDicoms.spec(patient, RUN + 1, 1))).extract().jsonPath();
        var b = upload(TestDicoms.bytes(TestDicoms.spec(patient, RUN + 1, 2))).extract().jsonPath();
        var c = upload(TestDicoms.bytes(TestDicoms.spec(patient, RUN + 2, 1))).extract().jsonPath();
        assertThat(b.getString("results[0].subjectId")).isEqualTo(a.getString("results[0].subjectId"))
                .isEqualTo(c.getString("results[0].subjectId"));
        assertThat(b.getString("results[0].studyId")).isEqualTo(a.getString("results[0].studyId"))
                .isNotEqualTo(c.getString("results[0].studyId"));
        assertThat(b.getString("results[0].dicomId")).isNotEqualTo(a.getString("results[0].dicomId"));
    }

    /**
     * A new patient's studies arriving all at once, every instance sent twice at the same moment:
     * the single-statement get-or-create of the research ids (and their caches) must still give
     * one subject, one study per StudyInstanceUID, one dicom_id per SOPInstanceUID, one ACCEPTED
     * and one DUPLICATE per instance, and one event per instance.
     */
    @Test
    void concurrentUploadsOfANewPatientAgreeOnEveryId() throws Exception {
        String patient = "MRN-RACE-" + RUN;
        int studies = 3;
        int perStudy = 4;
        List<byte[]> bodies = new java.util.ArrayList<>();
        for (int s = 0; s < studies; s++) {
            for (int i = 1; i <= perStudy; i++) {
                byte[] b = TestDicoms.bytes(TestDicoms.spec(patient, RUN + 40 + s, i));
                bodies.add(b);
                bodies.add(b);
            }
        }
        java.util.Collections.shuffle(bodies, new java.util.Random(RUN));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<io.restassured.path.json.JsonPath>> answers = new java.util.ArrayList<>();
            for (byte[] b : bodies) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return upload(b).statusCode(200).extract().jsonPath();
                }));
            }
            start.countDown();
            java.util.Map<String, List<String>> statusByDicomId = new java.util.HashMap<>();
            java.util.Set<String> subjects = new java.util.HashSet<>();
            java.util.Map<String, String> studyOfDicomId = new java.util.HashMap<>();
            for (var f : answers) {
                var r = f.get();
                subjects.add(r.getString("results[0].subjectId"));
                String dicomId = r.getString("results[0].dicomId");
                statusByDicomId.computeIfAbsent(dicomId, k -> new java.util.ArrayList<>()).add(r.getString("results[0].status"));
                studyOfDicomId.put(dicomId, r.getString("results[0].studyId"));
            }
            assertThat(subjects).hasSize(1);
            assertThat(statusByDicomId).hasSize(studies * perStudy);
            statusByDicomId.values().forEach(v -> assertThat(v).containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE"));
            assertThat(new java.util.HashSet<>(studyOfDicomId.values())).hasSize(studies);
            for (String studyId : new java.util.HashSet<>(studyOfDicomId.values())) {
                List<EventTap.Event> events = EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, studyId), perStudy);
                assertThat(events).hasSize(perStudy);
                assertThat(events.stream().map(e -> EventJson.read(e.value(), InstanceReceived.class).dicomId()).distinct())
                        .hasSize(perStudy);
            }
            assertThat(Infra.count("select count(*) from study where subject_id = ?", subjects.iterator().next()))
                    .isEqualTo(studies);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void multipartGivesOneResultPerPart() {
        byte[] ok = TestDicoms.bytes(TestDicoms.spec("MRN-C-" + RUN, RUN + 3, 1));
        given().multiPart("first", "a.dcm", ok, "application/dicom")
                .multiPart("whatever", "b.bin", "hello, not dicom".getBytes(), "application/octet-stream")
                .multiPart("again", "c.dcm", ok, "application/dicom")
                .post("/studies/instances").then().statusCode(200)
                .body("results.status", equalTo(List.of("ACCEPTED", "REJECTED", "DUPLICATE")))
                .body("results[1].reason", equalTo("NOT_DICOM"))
                .body("results[1].subjectId", nullValue())
                .body("results.part", equalTo(List.of("first", "whatever", "again")));
    }

    @Test
    void badInputIsRejectedWithAReason() {
        upload("plain text, not DICOM at all".getBytes()).statusCode(200)
                .body("results[0].status", equalTo("REJECTED")).body("results[0].reason", equalTo("NOT_DICOM"));
        var noPatient = TestDicoms.dataset(TestDicoms.spec("x", RUN + 4, 1));
        noPatient.remove(Tag.PatientID);
        upload(org.cxr.dicom.DicomWriter.toBytes(noPatient, "1.2.840.10008.1.2.1")).statusCode(200)
                .body("results[0].reason", equalTo("MISSING_UID"));
        byte[] whole = TestDicoms.bytes(TestDicoms.spec("MRN-D-" + RUN, RUN + 5, 1));
        upload(java.util.Arrays.copyOf(whole, whole.length / 2)).statusCode(200)
                .body("results[0].reason", equalTo("MALFORMED_DICOM"));
        given().contentType("image/png").body(new byte[] {1, 2}).post("/studies/instances").then().statusCode(415);
        // a value the database refuses (SQLSTATE 22001) is the input's fault: a rejection, not a 503 forever
        var longClass = TestDicoms.dataset(TestDicoms.spec("MRN-LONG-" + RUN, RUN + 7, 1));
        longClass.putString(Tag.SOPClassUID, org.cxr.dicom.VR.UI, ImportAndDropFolderTest.LONG_UID);
        upload(org.cxr.dicom.DicomWriter.toBytes(longClass, "1.2.840.10008.1.2.1")).statusCode(200)
                .body("results[0].status", equalTo("REJECTED")).body("results[0].reason", equalTo("INVALID_VALUE"));
        upload(new byte[9 * 1024 * 1024]).statusCode(413).body("results[0].reason", equalTo("TOO_LARGE"));
    }

    @Test
    void realSharedChestFilesAreAcceptedAndBurnedInRiskIsRefused() throws Exception {
        var dir = SharedData.require("data/dicom/chest");
        try (var files = java.nio.file.Files.list(dir)) {
            for (var f : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                byte[] bytes = java.nio.file.Files.readAllBytes(f);
                var result = upload(bytes).statusCode(200).extract().jsonPath();
                var ds = DicomReader.read(bytes).dataset();
                if (ds.getString(Tag.PatientID) == null) { // a real CR without PatientID: no patient to give a research id to
                    assertThat(result.getString("results[0].reason")).as(f.toString()).isEqualTo("MISSING_UID");
                } else if (ds.getString(Tag.SOPClassUID).startsWith("1.2.840.10008.5.1.4.1.1.7")) {
                    // a secondary capture may show identifying text in its pixels: refused from REST ...
                    assertThat(result.getString("results[0].reason")).as(f.toString()).isEqualTo("BURNED_IN_RISK");
                    assertThat(result.getString("results[0].subjectId")).isNull();
                    // ... and stored from the source the operator allowed (%test: STOW_RS)
                    ReportAndStowTest.stow("/dicomweb/studies", bytes).statusCode(200);
                } else {
                    assertThat(result.getString("results[0].status")).as(f.toString()).isIn("ACCEPTED", "DUPLICATE");
                }
            }
        }
        upload(TestDicoms.screenCapture(TestDicoms.spec("MRN-SCR-" + RUN, RUN + 6, 1))).statusCode(200)
                .body("results[0].status", equalTo("REJECTED")).body("results[0].reason", equalTo("BURNED_IN_RISK"));
        // a file the reader cannot parse is refused with a reason, not a 500
        byte[] broken = java.nio.file.Files.readAllBytes(SharedData.require("data/dicom/edge-cases/ExplVR_BigEndNoMeta.dcm"));
        upload(broken).statusCode(200).body("results[0].status", equalTo("REJECTED"));
    }

    static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
