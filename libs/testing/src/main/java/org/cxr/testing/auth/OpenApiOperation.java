package org.cxr.testing.auth;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One operation of a service's own OpenAPI document ({@code /q/openapi?format=json}) with the roles
 * its bearer requirement lists and the media types it consumes, for the access-control tests that
 * walk every operation: each must name its roles, refuse a missing or bad token with 401 and a
 * valid token without one of its roles with 403 ({@link #refusals}).
 */
public record OpenApiOperation(String method, String path, Set<String> roles, List<String> consumes) {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** A call the operation must refuse: {@code token} null for none, {@code status} 401 or 403. */
    public record Refusal(String what, String token, int status) {
        /** What a test reports when {@code op} answered this refusal with {@code actual} instead. */
        public String unexpected(OpenApiOperation op, int actual) {
            return op.method() + " " + op.path() + " with " + what + ": " + actual + " (expected " + status + ")";
        }
    }

    public OpenApiOperation {
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        consumes = List.copyOf(consumes);
    }

    /** Every operation of the document (HTTP methods only), in its order. */
    public static List<OpenApiOperation> all(String openApiJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(openApiJson);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not an OpenAPI JSON document", e);
        }
        List<OpenApiOperation> ops = new ArrayList<>();
        root.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (!METHODS.contains(m.getKey())) {
                return;
            }
            Set<String> roles = new LinkedHashSet<>();
            m.getValue().path("security").forEach(req -> req.fields().forEachRemaining(s -> s.getValue()
                    .forEach(r -> roles.add(r.asText()))));
            List<String> consumes = new ArrayList<>();
            m.getValue().path("requestBody").path("content").fieldNames().forEachRemaining(consumes::add);
            ops.add(new OpenApiOperation(m.getKey(), p.getKey(), roles, consumes));
        }));
        return ops;
    }

    /** The path with each {@code {name}} filled in from {@code samples}; an assertion error names a parameter without one. */
    public String url(Map<String, String> samples) {
        String u = path;
        for (var e : samples.entrySet()) {
            u = u.replace("{" + e.getKey() + "}", e.getValue());
        }
        if (u.contains("{")) {
            throw new AssertionError("no sample value for a path parameter of " + path + ": " + u);
        }
        return u;
    }

    /**
     * The calls this operation must refuse, in this order: no token, then each of
     * {@link TestTokens#refused} (carrying every realm role) with 401; then a valid token of each
     * realm role it does not name with 403.
     */
    public List<Refusal> refusals(List<String> realmRoles) {
        List<Refusal> out = new ArrayList<>();
        out.add(new Refusal("no token", null, 401));
        TestTokens.refused(realmRoles.toArray(String[]::new)).forEach((what, token) -> out.add(new Refusal(what, token, 401)));
        for (String role : realmRoles) {
            if (!roles.contains(role)) {
                out.add(new Refusal("role " + role, TestTokens.token(role), 403));
            }
        }
        return out;
    }
}
