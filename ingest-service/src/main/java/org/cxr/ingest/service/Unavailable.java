package org.cxr.ingest.service;

/**
 * A dependency (object store, broker, database) is down: nothing was recorded, the caller should
 * retry later (HTTP 503 with Retry-After; importers and the drop folder retry by themselves).
 */
public class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
