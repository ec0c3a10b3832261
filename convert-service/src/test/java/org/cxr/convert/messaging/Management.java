package org.cxr.convert.messaging;

import io.quarkus.test.common.http.TestHTTPResourceManager;

/** The running service's management interface in a {@code @QuarkusTest} (a random port in %test). */
final class Management {
    private Management() {
    }

    /** {@code path} under the management root ({@code /q}), e.g. {@code /health/ready}. */
    static String url(String path) {
        return TestHTTPResourceManager.getManagementUri() + path;
    }
}
