package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event to publish once the transaction that wrote it has committed. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "outbox_id")
    public Long outboxId;

    @Column(name = "topic", nullable = false, length = 100)
    public String topic;

    @Column(name = "event_key", length = 100)
    public String eventKey;

    @Column(name = "event_id", nullable = false, length = 400)
    public String eventId;

    @Column(name = "event_type", nullable = false, length = 100)
    public String eventType;

    @Column(name = "payload", nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
