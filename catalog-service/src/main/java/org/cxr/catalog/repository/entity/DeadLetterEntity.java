package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A dead letter seen on a stage's DLQ topic, or written by the catalog. */
@Entity
@Table(name = "dead_letter")
public class DeadLetterEntity {
    @Id
    @Column(name = "event_id", length = 400)
    public String eventId;

    @Column(name = "topic", nullable = false, length = 100)
    public String topic;

    @Column(name = "stage", length = 16)
    public String stage;

    @Column(name = "reason", length = 32)
    public String reason;

    @Column(name = "message", columnDefinition = "text")
    public String message;

    @Column(name = "subject_id")
    public Integer subjectId;

    @Column(name = "study_id")
    public Integer studyId;

    @Column(name = "dicom_id", length = 44)
    public String dicomId;

    @Column(name = "original_topic", length = 100)
    public String originalTopic;

    @Column(name = "original_event_id", length = 400)
    public String originalEventId;

    @Column(name = "payload", nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
