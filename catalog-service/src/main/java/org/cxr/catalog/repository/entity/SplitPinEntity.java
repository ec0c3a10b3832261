package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One operator pin (audit trail). */
@Entity
@Table(name = "split_pin")
public class SplitPinEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "pin_id")
    public Long pinId;

    @Column(name = "subject_id", nullable = false)
    public Integer subjectId;

    @Column(name = "old_split", length = 8)
    public String oldSplit;

    @Column(name = "new_split", nullable = false, length = 8)
    public String newSplit;

    @Column(name = "pinned_by", nullable = false, length = 200)
    public String pinnedBy;

    @Column(name = "reason", length = 1000)
    public String reason;

    @Column(name = "pinned_at", nullable = false)
    public Instant pinnedAt;
}
