package org.cxr.ingest.rest;

import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Whatever a request throws that nothing else maps ends here, so Quarkus's own handler never logs
 * it: that one logs the request URI with its query and the exception's message, and both can
 * carry what the client sent (a PatientID in a query, a charset value, a name in a path). Here the
 * log line names the exception classes and our own stack frames only, and the answer repeats
 * nothing from the request: 500 with an error id that the log line carries too.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final int MAX_FRAMES = 12;

    /** JAX-RS's own answers (404, 405, 406, 415, ...): their status, no body from the request. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.getStatus() >= 500) {
            return unexpected(e);
        }
        return Response.status(r.getStatus()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", String.valueOf(Response.Status.fromStatusCode(r.getStatus())))).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable t) {
        if (failedCommit(t)) {
            // the database went away between the statements and the commit: an outage, nothing recorded
            // (objects and events already sent are the same on a retry: ids and keys are deterministic)
            LOG.warnf("answering 503, the transaction could not commit: %s", describe(t));
            return UnavailableMapper.response("database unavailable");
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf("request failed, error id %s: %s", id, describe(t));
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "internal error", "errorId", id)).build();
    }

    /** A transaction the transaction manager could not commit (ARJUNA016053 when PostgreSQL dies), wrapped or not. */
    static boolean failedCommit(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof jakarta.transaction.RollbackException || c instanceof jakarta.transaction.HeuristicMixedException
                    || c instanceof jakarta.transaction.HeuristicRollbackException) {
                return true;
            }
        }
        return false;
    }

    /** The exception classes of the cause chain and the frames of our own code, never a message. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int frames = 0;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c == t ? "" : " caused by ").append(c.getClass().getName());
            for (StackTraceElement f : c.getStackTrace()) {
                if (f.getClassName().startsWith("org.cxr.") && frames++ < MAX_FRAMES) {
                    sb.append(" at ").append(f.getClassName()).append('.').append(f.getMethodName())
                            .append(':').append(f.getLineNumber());
                }
            }
        }
        return sb.toString();
    }
}
