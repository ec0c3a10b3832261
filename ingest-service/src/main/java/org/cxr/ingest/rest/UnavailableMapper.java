package org.cxr.ingest.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;
import org.cxr.ingest.service.Unavailable;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A dependency is down: 503 with Retry-After; the client (or importer) retries, nothing was recorded. */
public class UnavailableMapper {
    private static final Logger LOG = Logger.getLogger(UnavailableMapper.class);
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response unavailable(Unavailable e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return response(e.getMessage());
    }

    @ServerExceptionMapper
    public Response database(DatabaseUnavailable e) {
        LOG.warnf("answering 503, database error: %s", e.getMessage());
        return response("database unavailable");
    }

    /** Too many bytes in flight right now (cxr.ingest.max-bytes-in-flight / max-memory-bytes): come back later. */
    static Response busy() {
        // the body was not read: close the connection so the client stops sending it
        return Response.fromResponse(response("too many uploads in flight; retry later")).header("Connection", "close").build();
    }

    static Response response(String message) {
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "unavailable", "message", String.valueOf(message))).build();
    }
}
