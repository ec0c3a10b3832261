package org.cxr.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cxr.ingest.testing.Api;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.auth.OpenApiOperation;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Walks every operation of ingest's own OpenAPI document with real tokens (issue 12 "Bad input"):
 * no token, an expired, a forged (another key), a wrong-issuer and a wrong-audience token are 401;
 * a valid token without one of the operation's roles is 403; every operation names its roles (one
 * added later without {@code @RolesAllowed} has none in the document and is denied by
 * deny-unannotated-endpoints: this test fails on it either way). Each refused call carries a real
 * identified instance, report or import request in its body, yet nothing is recorded (row counts
 * of every table unchanged), nothing is announced (no event) and no identifier is echoed.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class AccessControlTest {
    static final List<String> ALL_ROLES = List.of("uploader", "researcher", "operator", "admin");
    static final long RUN = TestDicoms.runBase();
    static final String MRN = "MRN-ACL-" + RUN;
    static final TestDicoms.Spec SPEC = TestDicoms.spec(MRN, RUN, 1);
    /** Path parameter values: the instance's own StudyInstanceUID, so an echo of it would show. */
    static final Map<String, String> SAMPLES = Map.of("studyInstanceUid", SPEC.studyUid(), "studyUid", SPEC.studyUid(),
            "id", "6f1c2b9e-8f7a-4c39-9d0e-2a4b5c6d7e8f", "receipt", "0123456789abcdef0123456789abcdef");
    static final List<String> TABLES = List.of("subject", "study", "instance", "instance_id", "report_revision",
            "receipt", "import_job", "instance_conflict");

    @Test
    void everyOperationRefusesMissingBadAndWrongRoleTokens() throws Exception {
        List<OpenApiOperation> ops = operations();
        assertThat(ops).extracting(OpenApiOperation::path).contains("/studies/instances",
                "/studies/{studyInstanceUid}/report", "/dicomweb/studies", "/dicomweb/studies/{studyUid}", "/imports",
                "/imports/{id}", "/reports", "/receipts/{receipt}");
        Map<String, Long> before = counts();
        int events = EventTap.get().all().size();
        List<String> failures = new ArrayList<>();
        for (OpenApiOperation op : ops) {
            assertThat(op.roles()).as(op + " names its roles").isNotEmpty();
            assertThat(ALL_ROLES).as(op + ": roles of the realm").containsAll(op.roles());
            op.refusals(ALL_ROLES).forEach(refusal -> check(failures, op, refusal));
        }
        assertThat(failures).isEmpty();
        Thread.sleep(500); // an announcement would be on the broker by now (sends are awaited before answering)
        assertThat(counts()).as("nothing recorded by refused calls").isEqualTo(before);
        assertThat(EventTap.get().all()).as("nothing announced by refused calls").hasSize(events);
    }

    /** The roles (ingest's own): uploads and reports for uploaders, imports for operators, receipts for researchers and operators. */
    @Test
    void eachOperationNamesTheAgreedRoles() throws Exception {
        Map<String, Set<String>> roles = new TreeMap<>();
        for (OpenApiOperation op : operations()) {
            roles.put(op.method() + " " + op.path(), op.roles());
        }
        assertThat(roles).containsEntry("post /studies/instances", Set.of("uploader"))
                .containsEntry("put /studies/{studyInstanceUid}/report", Set.of("uploader"))
                .containsEntry("post /dicomweb/studies", Set.of("uploader"))
                .containsEntry("post /reports", Set.of("uploader"))
                .containsEntry("post /imports", Set.of("operator"))
                .containsEntry("get /imports/{id}", Set.of("operator"))
                .containsEntry("get /receipts/{receipt}", Set.of("researcher", "operator"));
    }

    /**
     * No oracle: an uploader is answered with a receipt, never a research id, for instances and
     * reports; a researcher turns the receipt into the ids; a receipt is no use to an uploader.
     */
    @Test
    void uploadersGetReceiptsNotResearchIds() throws Exception {
        TestDicoms.Spec spec = TestDicoms.spec("MRN-RCPT-" + RUN, RUN + 5, 1);
        Response up = Api.as("uploader").contentType("application/dicom").body(TestDicoms.bytes(spec)).post("/studies/instances");
        up.then().statusCode(200);
        assertThat(up.jsonPath().getString("results[0].status")).isEqualTo("ACCEPTED");
        String receipt = up.jsonPath().getString("results[0].receipt");
        assertThat(receipt).matches("[0-9a-f]{32}");
        assertThat(up.asString()).doesNotContain("subjectId").doesNotContain("studyId").doesNotContain("dicomId");
        // the same instance again: DUPLICATE with the same receipt
        Response again = Api.as("uploader").contentType("application/dicom").body(TestDicoms.bytes(spec)).post("/studies/instances");
        assertThat(again.jsonPath().getString("results[0].status")).isEqualTo("DUPLICATE");
        assertThat(again.jsonPath().getString("results[0].receipt")).isEqualTo(receipt);

        Response report = Api.as("uploader").contentType("text/plain").body("IMPRESSION: clear.")
                .put("/studies/" + spec.studyUid() + "/report");
        report.then().statusCode(200);
        assertThat(report.asString()).doesNotContain("subjectId").doesNotContain("studyId");
        String reportReceipt = report.jsonPath().getString("receipt");
        assertThat(reportReceipt).matches("[0-9a-f]{32}").isNotEqualTo(receipt);

        Api.as("uploader").get("/receipts/" + receipt).then().statusCode(403);
        JsonNode ids = new ObjectMapper().readTree(Api.as("researcher").get("/receipts/" + receipt).then().statusCode(200)
                .extract().asString());
        assertThat(ids.path("subjectId").asText()).matches("1\\d{7}");
        assertThat(ids.path("studyId").asText()).matches("5\\d{7}");
        assertThat(ids.path("dicomId").asText()).hasSize(44);
        JsonNode rev = new ObjectMapper().readTree(Api.as("operator").get("/receipts/" + reportReceipt).then().statusCode(200)
                .extract().asString());
        assertThat(rev.path("studyId").asText()).isEqualTo(ids.path("studyId").asText());
        assertThat(rev.path("revision").asInt()).isEqualTo(1);
        // the stored objects are where the ids say
        assertThat(Infra.store().listKeysToList("cxr-dicom", "files/p" + ids.path("subjectId").asText().substring(0, 2)
                + "/p" + ids.path("subjectId").asText() + "/s" + ids.path("studyId").asText() + "/")).hasSize(1);
        Api.as("researcher").get("/receipts/ffffffffffffffffffffffffffffffff").then().statusCode(404);
        // a caller that also holds the researcher role sees the ids in the answer
        Response both = Api.as("uploader", "researcher").contentType("application/dicom").body(TestDicoms.bytes(spec))
                .post("/studies/instances");
        assertThat(both.jsonPath().getString("results[0].studyId")).isEqualTo(ids.path("studyId").asText());
    }

    private static void check(List<String> failures, OpenApiOperation op, OpenApiOperation.Refusal refusal) {
        RequestSpecification spec = refusal.token() == null ? RestAssured.given()
                : RestAssured.given().auth().oauth2(refusal.token());
        Response r = withBody(spec.redirects().follow(false), op).request(op.method().toUpperCase(), op.url(SAMPLES));
        if (r.statusCode() != refusal.status()) {
            failures.add(refusal.unexpected(op, r.statusCode()));
        }
        String body = r.asString();
        for (String id : List.of(MRN, SPEC.studyUid(), SPEC.sopUid(), "Quackenbush", TestDicoms.ACCESSION)) {
            if (body.contains(id)) {
                failures.add(op.method() + " " + op.path() + " with " + refusal.what() + " echoes " + id);
            }
        }
    }

    /** A body the operation would accept, full of identifiers: refused calls must store and echo none of it. */
    private static RequestSpecification withBody(RequestSpecification spec, OpenApiOperation op) {
        if (op.method().equals("get")) {
            return spec;
        }
        String type = op.consumes().isEmpty() ? "application/json" : op.consumes().get(0);
        byte[] dicom = TestDicoms.bytes(SPEC);
        return switch (type) {
            case "application/dicom" -> spec.contentType(type).body(dicom);
            case "multipart/form-data" -> spec.multiPart("a", "a.dcm", dicom, "application/dicom");
            case "multipart/related" -> {
                try {
                    yield spec.contentType("multipart/related; type=\"application/dicom\"; boundary=B42")
                            .body(ReportAndStowTest.stowBody("B42", dicom));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            case "text/plain" -> spec.contentType("text/plain; charset=utf-8").header("X-Patient-ID", MRN)
                    .body(("FINDINGS: Hortensia Quackenbush, MRN " + MRN).getBytes(StandardCharsets.UTF_8));
            default -> spec.contentType(ContentType.JSON).body("{\"path\":\"/tmp\",\"layout\":\"folder\",\"accessionNumber\":\""
                    + TestDicoms.ACCESSION + "\",\"patientId\":\"" + MRN + "\",\"text\":\"Hortensia Quackenbush\"}");
        };
    }

    /** Every operation of the OpenAPI document with the roles its bearer requirement lists and what it consumes. */
    static List<OpenApiOperation> operations() {
        return OpenApiOperation.all(Api.as("operator").accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString());
    }

    private static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        for (String t : TABLES) {
            m.put(t, Infra.count("select count(*) from " + t));
        }
        return m;
    }
}
