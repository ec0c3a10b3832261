package org.cxr.ingest.rest;

import static org.cxr.ingest.testing.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

import org.cxr.ingest.testing.Api;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Readiness covers broker, database and object store; the API is described; business metrics exist. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class OperationsTest {
    @Test
    void readinessOpenApiAndMetrics() {
        // health and metrics: on the management interface, open there; not on the public port
        io.restassured.RestAssured.given().get(Api.management("/q/health/ready")).then().statusCode(200)
                .body("checks.name", hasItems("kafka-broker", "object-store", "Database connections health check"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/studies/instances"), containsString("/studies/{studyInstanceUid}/report"),
                        containsString("/dicomweb/studies"), containsString("/imports/{id}"));
        given().contentType("application/dicom").body(TestDicoms.bytes(TestDicoms.spec("MRN-OPS", TestDicoms.runBase(), 1)))
                .post("/studies/instances").then().statusCode(200);
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(404);
        io.restassured.RestAssured.given().get(Api.management("/q/metrics")).then().statusCode(200)
                .body(containsString("cxr_ingest_instances_total{outcome=\"ACCEPTED\""),
                        containsString("cxr_ingest_instance_duration_seconds"));
    }
}
