package org.cxr.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents Kafka protocol binding (binary content mode) headers for an event: {@code ce_id},
 * {@code ce_type}, {@code ce_source}, {@code ce_time}, {@code ce_subject} (the study id),
 * {@code ce_specversion} and {@code content-type}. An event without a study id (the dead letter of
 * an unreadable record) has no {@code ce_subject}.
 */
public final class EventHeaders {
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";
    /**
     * Not a CloudEvents attribute: on a redriven record (topics {@code cxr.*.redrive}), how many
     * times the stage already tried it (decimal), so that its attempt history goes on.
     */
    public static final String ATTEMPTS = "cxr-attempts";

    private EventHeaders() {
    }

    /** @param source the emitting service, e.g. {@code /cxr/ingest-service} */
    public static Map<String, byte[]> of(CxrEvent event, String source, Instant time) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(SPEC_VERSION, bytes("1.0"));
        h.put(ID, bytes(event.eventId()));
        h.put(TYPE, bytes(event.eventType()));
        h.put(SOURCE, bytes(source));
        h.put(TIME, bytes(time.toString()));
        if (event.studyId() != null) {
            h.put(SUBJECT, bytes(event.studyId()));
        }
        h.put(CONTENT_TYPE, bytes("application/json"));
        return h;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
