package org.cxr.ingest.testing;

import org.cxr.testing.auth.TestTokens;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * REST Assured requests of ingest's API tests, with a real bearer token (TestTokens, trusted by the
 * %test profile). {@link #given()} holds every role ingest knows, so answers carry research ids;
 * what each role may do and see is tested by AccessControlTest.
 */
public final class Api {
    public static final String[] ROLES = {"uploader", "operator", "researcher"};

    private Api() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.token(ROLES));
    }

    /** With only these roles. */
    public static RequestSpecification as(String... roles) {
        return RestAssured.given().auth().oauth2(TestTokens.token(roles));
    }

    /** A URL of the management interface (health, metrics), on its random test port. */
    public static String management(String path) {
        int port = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://localhost:" + port + path;
    }

    /** An Authorization header value for clients other than REST Assured. */
    public static String bearer(String... roles) {
        return "Bearer " + TestTokens.token(roles.length == 0 ? ROLES : roles);
    }
}
