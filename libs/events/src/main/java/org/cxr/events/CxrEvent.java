package org.cxr.events;

/**
 * An event payload. Payloads are JSON with an explicit {@code schemaVersion}; they carry object
 * keys (claim checks), never pixel data. The Kafka record key is {@link #studyId()}.
 */
public sealed interface CxrEvent
        permits InstanceReceived, ReportReceived, InstanceConverted, ReportLabelled, StudyIndexed, DeadLetter,
        ImportProgress {

    int schemaVersion();

    /** The study the event is about (null in a dead letter of an unreadable event and in {@link ImportProgress}). */
    String studyId();

    /** The research subject id (null only in a dead letter of an unreadable event, and in {@link ImportProgress}). */
    String subjectId();

    /** CloudEvents {@code type}, e.g. {@code org.cxr.instance-received.v1}. */
    String eventType();

    /**
     * CloudEvents {@code id}. Deterministic for a given fact, so a redelivered or re-announced fact
     * has the same id and consumers can recognise it.
     */
    String eventId();
}
