package org.cxr.catalog.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.cxr.catalog.service.CatalogException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Every error leaves as a problem+json body with a clear message. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response catalog(CatalogException e) {
        return respond(Problem.of(e.status(), e.getMessage(), e.parameter()));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(Problem.of(400, "request body is not valid JSON for this operation: " + e.getOriginalMessage(),
                "body"));
    }

    /** Wins over the built-in mapper of the same type (which answers with a non-problem body). */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return respond(Problem.of(400, "request body is not valid JSON for this operation"
                + (field == null ? "" : " (field '" + field + "')") + ": " + e.getOriginalMessage(), "body"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JsonProcessingException j) {
                return respond(Problem.of(400, "request body is not valid JSON for this operation: "
                        + j.getOriginalMessage(), "body"));
            }
        }
        if (status == 404 && (detail == null || detail.startsWith("HTTP 404"))) {
            detail = "no such resource";
        }
        return respond(Problem.of(status, detail, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return respond(Problem.of(500, "internal error: " + e.getMessage(), null));
    }

    static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
