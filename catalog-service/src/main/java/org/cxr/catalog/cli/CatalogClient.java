package org.cxr.catalog.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the catalog's command-line tools reach the service: its base URL and the bearer token
 * ({@code CXR_TOKEN}, which {@code ./cxr} sets from the data directory's key) on every request.
 */
final class CatalogClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    /**
     * HTTP/1.1: one connection per parallel download, so a cut connection breaks off one file (not
     * all of them, as one multiplexed HTTP/2 connection would), and proxies see plain requests.
     */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    CatalogClient(String url, String token) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    String base() {
        return base;
    }

    /** A request to a path of the service (or an absolute URL), with the token when there is one. */
    HttpRequest.Builder request(String pathOrUrl, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .timeout(timeout).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** The message of a problem+json body, else the start of the body; a 401/403 says what to do. */
    static String detail(int status, String body) {
        String d = body.length() > 500 ? body.substring(0, 500) : body;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("detail")) {
                d = n.get("detail").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        if (status == 401) {
            return "not authenticated: set CXR_TOKEN (./cxr sets it from the data directory; elsewhere a token of"
                    + " your identity provider)" + (d.isBlank() ? "" : " — " + d);
        }
        if (status == 403) {
            return "the token lacks the role this needs" + (d.isBlank() ? "" : " — " + d);
        }
        return d;
    }
}
