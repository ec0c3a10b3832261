package org.cxr.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a stage could not process, with the reason. The original event payload is kept as
 * JSON (it is small: object keys, never pixel data) so the event can be replayed once fixed.
 *
 * @param dicomId the instance concerned, or null for study-level events
 */
public record DeadLetter(
        int schemaVersion,
        String stage,
        FailureReason reason,
        String message,
        String subjectId,
        String studyId,
        String dicomId,
        String originalTopic,
        String originalEventId,
        String originalEventType,
        JsonNode originalEvent,
        Instant failedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.dead-letter.v1";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "dead-letter:" + stage + ":" + originalEventId;
    }
}
