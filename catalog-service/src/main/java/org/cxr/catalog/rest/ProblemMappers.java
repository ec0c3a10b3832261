package org.cxr.catalog.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.cxr.catalog.service.CatalogException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;

/**
 * Every error leaves as a problem+json body with a clear message made of our own words only: no
 * body and no log line repeats request input (a parser's or the framework's message quotes the
 * offending token, value or URI, and a patient's name typed into the wrong field would come back
 * and land in logs). {@link CatalogException} messages are written that way where they are thrown.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String NOT_JSON = "request body is not valid JSON for this operation";

    @ServerExceptionMapper
    public Response catalog(CatalogException e) {
        return respond(Problem.of(e.status(), e.getMessage(), e.parameter()));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(Problem.of(400, NOT_JSON, "body"));
    }

    /** Wins over the built-in mapper of the same type (which answers with a non-problem body). */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e) {
        return respond(Problem.of(400, NOT_JSON + field(e), "body"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof MismatchedInputException m) {
                return mismatched(m);
            }
            if (t instanceof JsonProcessingException) {
                return respond(Problem.of(400, NOT_JSON, "body"));
            }
        }
        int status = e.getResponse().getStatus();
        return respond(Problem.of(status, switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "no acceptable representation";
            case 415 -> "unsupported content type";
            default -> Problem.title(status);
        }, null));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", Redacted.of(e));
        return respond(Problem.of(500, "internal error; the catalog's log has the stack trace", null));
    }

    /** " (field 'x')" when the field is one of the operation's own properties, else nothing. */
    private static String field(MismatchedInputException e) {
        if (e instanceof PropertyBindingException || e.getPath().isEmpty()) {
            return ""; // an unknown property's name is input
        }
        String name = e.getPath().get(e.getPath().size() - 1).getFieldName();
        return name == null ? "" : " (field '" + name + "')";
    }

    static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** An exception's class and stack trace, its message (and its causes') left out. */
    static final class Redacted extends RuntimeException {
        private Redacted(Throwable t, Throwable cause) {
            super(t.getClass().getName() + " (message not logged: it may quote request input)", cause, false, true);
            setStackTrace(t.getStackTrace());
        }

        static Redacted of(Throwable t) {
            Throwable cause = t.getCause() == null || t.getCause() == t ? null : of(t.getCause());
            return new Redacted(t, cause);
        }
    }
}
