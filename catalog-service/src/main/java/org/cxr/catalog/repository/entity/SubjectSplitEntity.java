package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A subject's split: ASSIGNED once from the configured rule, or PINNED by an operator. */
@Entity
@Table(name = "subject_split")
public class SubjectSplitEntity {
    public static final String ASSIGNED = "ASSIGNED";
    public static final String PINNED = "PINNED";

    @Id
    @Column(name = "subject_id")
    public Integer subjectId;

    @Column(name = "split", nullable = false, length = 8)
    public String split;

    @Column(name = "method", nullable = false, length = 8)
    public String method;

    @Column(name = "split_rule", nullable = false, length = 300)
    public String splitRule;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;

    @Column(name = "pinned_by", length = 200)
    public String pinnedBy;

    @Column(name = "pin_reason", length = 1000)
    public String pinReason;

    @Column(name = "pinned_at")
    public Instant pinnedAt;
}
