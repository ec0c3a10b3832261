package org.cxr.catalog.repository.entity;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A study: derived from its images' and report's facts by the indexer. */
@Entity
@Table(name = "study")
public class StudyEntity {
    @Id
    @Column(name = "study_id")
    public Integer studyId;

    @Column(name = "subject_id", nullable = false)
    public Integer subjectId;

    @Column(name = "state", nullable = false, length = 10)
    public String state;

    @Column(name = "images_known", nullable = false)
    public Integer imagesKnown;

    @Column(name = "images_converted", nullable = false)
    public Integer imagesConverted;

    @Column(name = "images_failed", nullable = false)
    public Integer imagesFailed;

    @Column(name = "report_received", nullable = false)
    public Boolean reportReceived;

    @Column(name = "labelled", nullable = false)
    public Boolean labelled;

    @Column(name = "report_failed", nullable = false)
    public Boolean reportFailed;

    @Column(name = "study_date")
    public LocalDate studyDate;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "view_positions", nullable = false, columnDefinition = "varchar(64)[]")
    public String[] viewPositions;

    @Column(name = "split", length = 8)
    public String split;

    @Column(name = "failure_reason", length = 64)
    public String failureReason;

    @Column(name = "change_seq", nullable = false)
    public Long changeSeq;

    @Column(name = "state_since", nullable = false)
    public Instant stateSince;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
