package org.cxr.platform.messaging;

import java.time.Instant;

import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Builds the dead letter of an event a stage could not process. */
public final class DeadLetters {
    private DeadLetters() {
    }

    /**
     * @param original the event if it could be parsed, else null
     * @param rawPayload the record value as received (kept as JSON when it is JSON, else as text)
     */
    public static DeadLetter of(String stage, FailureReason reason, String message, String originalTopic,
            CxrEvent original, String rawPayload, String dicomId) {
        String subjectId = null;
        String studyId = null;
        if (original != null) {
            studyId = original.studyId();
            subjectId = original.subjectId();
        }
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, stage, reason, message, subjectId, studyId, dicomId,
                originalTopic, original == null ? null : original.eventId(),
                original == null ? null : original.eventType(), asJson(rawPayload), Instant.now());
    }

    /**
     * The dead letter of a record that is not a readable event (INVALID_EVENT): no ids, and the
     * record's own id ({@link KafkaEvents#recordId}) as the original event id, so that each such
     * record has its own dead letter and a redelivered one repeats the same ce_id.
     */
    public static DeadLetter unreadable(String stage, String message, String originalTopic, String recordId,
            String rawPayload) {
        return unread(stage, FailureReason.INVALID_EVENT, message, originalTopic, recordId, rawPayload);
    }

    /**
     * The dead letter of a record set aside before (or without) being read as an event: oversized,
     * or given up on after too many attempts ({@link DeliveryAttempts}).
     */
    public static DeadLetter unread(String stage, FailureReason reason, String message, String originalTopic,
            String recordId, String rawPayload) {
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, stage, reason, message, null, null, null,
                originalTopic, recordId, null, asJson(rawPayload), Instant.now());
    }

    /** The original is kept as JSON up to this size; a larger one (not an event of ours) as its first 4096 characters. */
    static final int MAX_EMBEDDED = 64 * 1024;

    private static JsonNode asJson(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_EMBEDDED) {
            return TextNode.valueOf(raw.substring(0, 4096));
        }
        try {
            return EventJson.mapper().readTree(raw);
        } catch (Exception e) {
            return TextNode.valueOf(raw.length() > 4096 ? raw.substring(0, 4096) : raw);
        }
    }
}
