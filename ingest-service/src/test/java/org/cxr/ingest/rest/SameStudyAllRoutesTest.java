package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** One study sent through REST, STOW-RS and a folder import ends as one study with consistent ids, no duplicates. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class SameStudyAllRoutesTest {
    static final long RUN = TestDicoms.runBase();

    @TempDir
    Path tmp;

    @Test
    void oneStudyWhateverTheRoute() throws Exception {
        String patient = "MRN-ROUTES-" + RUN;
        TestDicoms.Spec i1 = TestDicoms.spec(patient, RUN, 1);
        TestDicoms.Spec i2 = TestDicoms.spec(patient, RUN, 2);
        TestDicoms.Spec i3 = TestDicoms.spec(patient, RUN, 3);

        // REST: instances 1 and 2
        JsonPath rest = given().multiPart("a", "1.dcm", TestDicoms.bytes(i1), "application/dicom")
                .multiPart("b", "2.dcm", TestDicoms.bytes(i2), "application/dicom").post("/studies/instances")
                .then().statusCode(200).extract().jsonPath();
        assertThat(rest.getList("results.status")).containsExactly("ACCEPTED", "ACCEPTED");
        String subjectId = rest.getString("results[0].subjectId");
        String studyId = rest.getString("results[0].studyId");
        assertThat(rest.getString("results[1].studyId")).isEqualTo(studyId);

        // STOW-RS: instances 2 (again) and 3
        ReportAndStowTest.stow("/dicomweb/studies/" + i1.studyUid(), TestDicoms.bytes(i2), TestDicoms.bytes(i3)).statusCode(200);

        // folder import: all three and the report
        Path folder = Files.createDirectories(tmp.resolve("export"));
        Files.write(folder.resolve("i1.dcm"), TestDicoms.bytes(i1));
        Files.write(folder.resolve("i2.dcm"), TestDicoms.bytes(i2));
        Files.write(folder.resolve("i3.dcm"), TestDicoms.bytes(i3));
        Files.writeString(folder.resolve(i1.studyUid() + ".txt"), "IMPRESSION: No acute process.");
        JsonPath imp = ImportAndDropFolderTest.runImport(folder, "folder");
        assertThat(imp.getLong("instances.duplicates")).isEqualTo(3);
        assertThat(imp.getLong("instances.accepted")).isZero();
        assertThat(imp.getLong("reports.accepted")).isEqualTo(1);

        // and once more through REST: every route agrees on the ids
        JsonPath again = given().contentType("application/dicom").body(TestDicoms.bytes(i3)).post("/studies/instances")
                .then().extract().jsonPath();
        assertThat(again.getString("results[0].status")).isEqualTo("DUPLICATE");
        assertThat(again.getString("results[0].subjectId")).isEqualTo(subjectId);
        assertThat(again.getString("results[0].studyId")).isEqualTo(studyId);

        var events = EventTap.get().await(EventTap.study(Topics.INSTANCE_RECEIVED, studyId), 3);
        assertThat(events).hasSize(3);
        assertThat(events.stream().map(e -> EventJson.read(e.value(), InstanceReceived.class).dicomId()).distinct()).hasSize(3);
        assertThat(events.stream().map(e -> EventJson.read(e.value(), InstanceReceived.class).source().name()))
                .containsExactlyInAnyOrder("REST", "REST", "STOW_RS");
        assertThat(EventTap.get().matching(EventTap.study(Topics.REPORT_RECEIVED, studyId))).hasSize(1);
        assertThat(Infra.count("select count(*) from instance where study_id = ?", studyId)).isEqualTo(3);
        assertThat(Infra.count("select count(*) from study s join subject p using (subject_id) where s.study_id = ?"
                + " and p.subject_id = ?", studyId, subjectId)).isEqualTo(1);
        assertThat(Infra.store().listKeysToList("cxr-dicom", "files/p" + subjectId.substring(0, 2) + "/p" + subjectId + "/s" + studyId + "/"))
                .hasSize(3);
    }
}
