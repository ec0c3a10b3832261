package org.cxr.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a stage could not process, with the reason. The original event payload is kept as
 * JSON (it is small: object keys, never pixel data) so the event can be replayed once fixed.
 *
 * @param dicomId  the instance concerned, or null for study-level events
 * @param attempts how many times the stage tried the record, counting earlier deliveries of a
 *                 redriven one; null when it was set aside at the first try without a count
 * @param history  the attempts that failed or ended their process (the record's poison history),
 *                 null or empty when the stage gave its reason at once
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
        Instant failedAt,
        Integer attempts,
        List<DeliveryAttempt> history) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.dead-letter.v1";

    /** A dead letter without an attempt count (the fields before {@code attempts} were added). */
    public DeadLetter(int schemaVersion, String stage, FailureReason reason, String message, String subjectId,
            String studyId, String dicomId, String originalTopic, String originalEventId, String originalEventType,
            JsonNode originalEvent, Instant failedAt) {
        this(schemaVersion, stage, reason, message, subjectId, studyId, dicomId, originalTopic, originalEventId,
                originalEventType, originalEvent, failedAt, null, null);
    }

    /** This dead letter with its attempt count and history. */
    public DeadLetter withAttempts(int count, List<DeliveryAttempt> attemptHistory) {
        return new DeadLetter(schemaVersion, stage, reason, message, subjectId, studyId, dicomId, originalTopic,
                originalEventId, originalEventType, originalEvent, failedAt, count, List.copyOf(attemptHistory));
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "dead-letter:" + stage + ":" + originalEventId;
    }
}
