package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A research subject (patient). */
@Entity
@Table(name = "subject")
public class SubjectEntity {
    @Id
    @Column(name = "subject_id")
    public Integer subjectId;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;
}
