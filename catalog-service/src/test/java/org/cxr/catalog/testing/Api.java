package org.cxr.catalog.testing;

import org.cxr.testing.auth.TestTokens;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * REST Assured requests of the catalog's API tests, with a real bearer token (TestTokens, trusted by
 * the %test profile). {@link #given()} has both reading and operating roles; access control itself
 * is tested by AccessControlTest.
 */
public final class Api {
    public static final String[] ROLES = {"researcher", "operator"};

    private Api() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.token(ROLES));
    }

    /** As a named principal (what audit fields record). */
    public static RequestSpecification as(String principal, String... roles) {
        return RestAssured.given().auth().oauth2(TestTokens.tokenFor(principal, roles));
    }
}
