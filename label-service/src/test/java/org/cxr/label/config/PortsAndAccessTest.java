package org.cxr.label.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import java.net.URL;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * label has no API (issue 12): health and metrics only on the management interface, nothing on
 * the public port, and an endpoint added later is denied to everyone.
 */
@QuarkusTest
@QuarkusTestResource(LocalInfraTestResource.class)
class PortsAndAccessTest {
    /** What a careless later change could add: a resource that names no role. */
    @Path("/label-test/unannotated")
    public static class Unannotated {
        @GET
        public String get() {
            return "open";
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void healthAndMetricsAreOnTheManagementInterfaceOnly() {
        given().get(ready.toString()).then().statusCode(200)
                .body("checks.name", hasItem("object-store")).body("checks.name", hasItem("kafka-broker"));
        given().get(live.toString()).then().statusCode(200);
        given().get(metrics.toString()).then().statusCode(200).body(containsString("cxr_label_report_duration"));
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/dev-ui", "/"}) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void anEndpointAddedWithoutItsOwnSecurityIsDeniedToEveryone() {
        // no authentication mechanism to challenge with: forbidden, with a token or without
        given().get("/label-test/unannotated").then().statusCode(403);
        for (String role : new String[] {"uploader", "researcher", "operator", "admin"}) {
            given().auth().oauth2(TestTokens.token(role)).get("/label-test/unannotated").then().statusCode(403);
        }
    }
}
