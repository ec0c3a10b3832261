package org.cxr.ingest.rest;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A multipart body without a boundary cannot be split: refused with 400 and a fixed message before
 * anything reads the body (the framework's multipart/form-data parser would fail with an unmapped
 * exception on an empty boundary).
 */
public class MultipartBoundaryFilter {
    static final String NO_BOUNDARY = "multipart body without a boundary parameter in its Content-Type";

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireBoundary(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return Optional.empty();
        }
        String boundary = MultipartRelated.boundary(type);
        if (boundary != null && !boundary.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", NO_BOUNDARY)).header("Connection", "close").build());
    }
}
