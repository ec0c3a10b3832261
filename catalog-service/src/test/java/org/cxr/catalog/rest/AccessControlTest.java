package org.cxr.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.cxr.catalog.testing.CatalogDb;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.auth.OpenApiOperation;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Walks every operation of the catalog's own OpenAPI document with real tokens (issue 12 "Bad
 * input"): no token, an expired, a forged (another key), a wrong-issuer and a wrong-audience token
 * are 401; a valid token without one of the operation's roles is 403; every operation names its
 * roles. An endpoint added later without {@code @RolesAllowed} has none in the document and is
 * denied by deny-unannotated-endpoints: this test fails on it either way. A refused call records
 * and announces nothing (row counts of every audited or outboxed table unchanged) and echoes no
 * identifier of its URL.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class AccessControlTest {
    static final List<String> ALL_ROLES = List.of("uploader", "researcher", "operator", "admin");
    /** Values for path parameters: ids that look real, so a leak of them into a body would show. */
    static final Map<String, String> SAMPLES = Map.of("studyId", "50414267", "subjectId", "10000032", "releaseId", "1",
            "dicomId", "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014", "path", "files/p10/p10000032/s50414267/x.jpg",
            "stage", "convert", "reason", "OBJECT_MISSING", "eventId", "dead-letter:convert:x", "importId", "imp-1");
    static final List<String> AUDITED = List.of("dataset_release", "split_pin", "subject_split", "outbox", "dead_letter");

    @Inject
    AgroalDataSource ds;

    @Test
    void everyOperationRefusesMissingBadAndWrongRoleTokens() throws Exception {
        List<OpenApiOperation> ops = operations();
        assertThat(ops).hasSizeGreaterThan(15);
        Map<String, Long> before = counts();
        List<String> failures = new ArrayList<>();
        for (OpenApiOperation op : ops) {
            assertThat(op.roles()).as(op + " names its roles").isNotEmpty();
            assertThat(ALL_ROLES).as(op + ": roles of the realm").containsAll(op.roles());
            op.refusals(ALL_ROLES).forEach(refusal -> check(failures, op, refusal));
        }
        assertThat(failures).isEmpty();
        assertThat(counts()).as("nothing recorded or announced by refused calls").isEqualTo(before);
    }

    /** The allowed roles get through on reads (neither 401 nor 403; writes are exercised by their own tests). */
    @Test
    void everyReadAnswersItsRoles() throws Exception {
        for (OpenApiOperation op : operations()) {
            if (!op.method().equals("get")) {
                continue;
            }
            for (String role : op.roles()) {
                int status = RestAssured.given().auth().oauth2(TestTokens.token(role)).get(op.url(SAMPLES)).statusCode();
                assertThat(status).as(op + " as " + role).isNotIn(401, 403);
            }
        }
    }

    @Test
    void pagesAndDocsNeedALoginButTheLoginPageIsOpen() {
        RestAssured.given().redirects().follow(false).get("/dashboard/").then().statusCode(303)
                .header("Location", "/dashboard/login");
        RestAssured.given().get("/q/openapi").then().statusCode(401);
        RestAssured.given().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").then().statusCode(401);
        RestAssured.given().get("/dashboard/login").then().statusCode(200).contentType(ContentType.HTML)
                .header("Cache-Control", "no-store");
        RestAssured.given().auth().oauth2(TestTokens.token("researcher")).get("/dashboard/").then().statusCode(200);
    }

    /** The session cookie stands for the token; a cookie-authenticated write needs the CSRF header. */
    @Test
    void dashboardSessionCookie() throws Exception {
        Response login = RestAssured.given().auth().oauth2(TestTokens.tokenFor("dr-rivera", "operator"))
                .post("/dashboard/session");
        login.then().statusCode(200);
        String setCookie = login.getHeader("Set-Cookie");
        assertThat(setCookie).contains(DashboardAccess.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/");
        String cookie = login.getCookie(DashboardAccess.COOKIE);
        RestAssured.given().cookie(DashboardAccess.COOKIE, cookie).get("/dashboard/session").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo("dr-rivera"));
        RestAssured.given().cookie(DashboardAccess.COOKIE, cookie).get("/stats/states").then().statusCode(200);
        RestAssured.given().cookie(DashboardAccess.COOKIE, "forged." + cookie).get("/stats/states").then().statusCode(401);
        long pins = CatalogDb.count(ds, "SELECT count(*) FROM split_pin");
        // a cross-site form post carries the cookie but cannot add the header
        RestAssured.given().cookie(DashboardAccess.COOKIE, cookie).contentType(ContentType.JSON)
                .body("{\"split\":\"test\"}").put("/subjects/10000032/split").then().statusCode(403);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM split_pin")).isEqualTo(pins);
        RestAssured.given().cookie(DashboardAccess.COOKIE, cookie).header(DashboardAccess.CSRF_HEADER, "1")
                .delete("/dashboard/session").then().statusCode(204).header("Set-Cookie",
                        org.hamcrest.Matchers.containsString("Max-Age=0"));
    }

    private static void check(List<String> failures, OpenApiOperation op, OpenApiOperation.Refusal refusal) {
        RequestSpecification spec = refusal.token() == null ? RestAssured.given()
                : RestAssured.given().auth().oauth2(refusal.token());
        Response r = spec.redirects().follow(false).contentType(ContentType.JSON).body("{}")
                .request(op.method().toUpperCase(), op.url(SAMPLES));
        if (r.statusCode() != refusal.status()) {
            failures.add(refusal.unexpected(op, r.statusCode()));
        }
        String body = r.asString();
        for (String id : SAMPLES.values()) {
            if (id.length() >= 8 && body.contains(id)) {
                failures.add(op.method() + " " + op.path() + " with " + refusal.what() + " echoes " + id);
            }
        }
    }

    /** Every operation of the OpenAPI document with the roles its bearer requirement lists. */
    static List<OpenApiOperation> operations() {
        return OpenApiOperation.all(RestAssured.given().auth().oauth2(TestTokens.token("researcher"))
                .accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    private Map<String, Long> counts() throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (String t : AUDITED) {
            m.put(t, CatalogDb.count(ds, "SELECT count(*) FROM " + t));
        }
        return m;
    }
}
