package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cxr.events.EventJson;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class ReportAndStowTest {
    static final long RUN = TestDicoms.runBase();

    static byte[] stowBody(String boundary, byte[]... instances) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] i : instances) {
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(i);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static io.restassured.response.ValidatableResponse stow(String path, byte[]... instances) throws Exception {
        return given().contentType("multipart/related; type=\"application/dicom\"; boundary=BOUNDARY-42")
                .accept("application/dicom+json").body(stowBody("BOUNDARY-42", instances)).post(path).then();
    }

    @Test
    void reportRevisionsAreAnnouncedOnlyWhenChanged() throws Exception {
        TestDicoms.Spec spec = TestDicoms.spec("MRN-R-" + RUN, RUN, 1);
        String studyId = given().contentType("application/dicom").body(TestDicoms.bytes(spec)).post("/studies/instances")
                .then().statusCode(200).extract().path("results[0].studyId");
        String text = "FINDINGS: No acute process. Hortensia Quackenbush tolerated the exam.\nIMPRESSION: Normal chest.\n";
        String path = "/studies/" + spec.studyUid() + "/report";
        given().contentType("text/plain; charset=UTF-8").body(text).put(path).then().statusCode(200)
                .body("status", equalTo("ACCEPTED")).body("revision", equalTo(1)).body("studyId", equalTo(studyId))
                .body("reason", nullValue());
        given().contentType("text/plain").body(text).put(path).then().statusCode(200)
                .body("status", equalTo("UNCHANGED")).body("revision", equalTo(1));
        String addendum = text + "ADDENDUM: Small left effusion on second look.\n";
        given().contentType("text/plain; charset=ISO-8859-1").body(addendum.getBytes(StandardCharsets.ISO_8859_1)).put(path)
                .then().statusCode(200).body("status", equalTo("ACCEPTED")).body("revision", equalTo(2));

        List<EventTap.Event> events = EventTap.get().await(EventTap.study(Topics.REPORT_RECEIVED, studyId), 2);
        assertThat(events).hasSize(2);
        ReportReceived r2 = EventJson.read(events.get(1).value(), ReportReceived.class);
        assertThat(r2.revision()).isEqualTo(2);
        String stored = new String(Infra.store().get("cxr-reports", r2.objectKey()), StandardCharsets.UTF_8);
        assertThat(stored).contains("ADDENDUM").contains("process. ___ tolerated").doesNotContain("Quackenbush").doesNotContain("Hortensia");
        assertThat(Infra.store().listKeysToList("cxr-reports", "revisions/" + r2.objectKey().replace(".txt", "/")))
                .hasSize(2);
    }

    @Test
    void reportBeforeImagesNeedsThePatientAndBadTextIsRefused() {
        String studyUid = "1.2.826.0.1.3680043.8.498.77." + (RUN + 1);
        given().contentType("text/plain").body("IMPRESSION: clear.").put("/studies/" + studyUid + "/report").then()
                .statusCode(404).body("status", equalTo("REJECTED")).body("reason", equalTo("UNKNOWN_STUDY"));
        String created = given().contentType("text/plain").header("X-Patient-ID", "MRN-R2-" + RUN).header("X-Issuer-Of-Patient-ID", "SEGH")
                .body("IMPRESSION: clear.").put("/studies/" + studyUid + "/report").then().statusCode(200)
                .body("status", equalTo("ACCEPTED")).extract().path("studyId");
        // the images arriving later join the same study
        TestDicoms.Spec spec = TestDicoms.spec("MRN-R2-" + RUN, RUN + 1, 1);
        given().contentType("application/dicom").body(TestDicoms.bytes(spec)).post("/studies/instances").then()
                .body("results[0].studyId", equalTo(created));
        given().contentType("text/plain; charset=UTF-8").body(new byte[] {'o', 'k', (byte) 0xC3, 0x28})
                .put("/studies/" + studyUid + "/report").then().statusCode(422).body("reason", equalTo("UNDECODABLE_REPORT"));
        given().contentType("text/plain").body("   \n").put("/studies/" + studyUid + "/report").then().statusCode(422)
                .body("reason", equalTo("EMPTY_REPORT"));
        given().contentType("text/plain; charset=x-no-such").body(new byte[] {'x'}).put("/studies/" + studyUid + "/report").then()
                .statusCode(415);
        given().contentType("text/plain").body("x".repeat(1_100_000)).put("/studies/" + studyUid + "/report").then()
                .statusCode(413).body("reason", equalTo("TOO_LARGE"));
        given().contentType("application/json").body("{}").put("/studies/" + studyUid + "/report").then().statusCode(415);
    }

    @Test
    void stowStoresAndAnswersInTheDicomJsonModel() throws Exception {
        TestDicoms.Spec a = TestDicoms.spec("MRN-S-" + RUN, RUN + 2, 1);
        TestDicoms.Spec b = TestDicoms.spec("MRN-S-" + RUN, RUN + 2, 2);
        stow("/dicomweb/studies", TestDicoms.bytes(a), TestDicoms.bytes(b)).statusCode(200)
                .contentType("application/dicom+json")
                .body("'00081199'.vr", equalTo("SQ"))
                .body("'00081199'.Value", hasSize(2))
                .body("'00081199'.Value[0].'00081155'.Value[0]", equalTo(a.sopUid()))
                .body("'00081198'", nullValue());
        // one stored again (success), one conflicting, one not DICOM: 202 with a FailedSOPSequence
        stow("/dicomweb/studies", TestDicoms.bytes(a), TestDicoms.bytes(b.withSeed(5)), "junk".getBytes()).statusCode(202)
                .body("'00081199'.Value", hasSize(1))
                .body("'00081198'.Value", hasSize(2))
                .body("'00081198'.Value[0].'00081155'.Value[0]", equalTo(b.sopUid()))
                .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(0x0111))
                .body("'00081198'.Value[1].'00081197'.Value[0]", equalTo(0xC000));
        // to a study URL: an instance of another study fails; none stored → 409
        stow("/dicomweb/studies/1.2.3.4.5", TestDicoms.bytes(TestDicoms.spec("MRN-S-" + RUN, RUN + 3, 1))).statusCode(409)
                .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(0xA900));
        stow("/dicomweb/studies/" + a.studyUid(), TestDicoms.bytes(TestDicoms.spec("MRN-S-" + RUN, RUN + 2, 3))).statusCode(200);
        given().contentType("multipart/related; type=\"application/dicom+xml\"; boundary=x").body("--x--".getBytes()).post("/dicomweb/studies")
                .then().statusCode(415);
    }
}
