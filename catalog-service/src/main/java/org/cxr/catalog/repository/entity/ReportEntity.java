package org.cxr.catalog.repository.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A study's current report (derived): key, section used, status. */
@Entity
@Table(name = "report")
public class ReportEntity {
    @Id
    @Column(name = "study_id")
    public Integer studyId;

    @Column(name = "status", nullable = false, length = 10)
    public String status;

    @Column(name = "report_key", length = 300)
    public String reportKey;

    @Column(name = "report_sha256", length = 64)
    public String reportSha256;

    @Column(name = "revision")
    public Integer revision;

    @Column(name = "section", length = 16)
    public String section;

    @Column(name = "section_text", columnDefinition = "text")
    public String sectionText;

    @Column(name = "labeler_version", length = 100)
    public String labelerVersion;

    @Column(name = "labelled_at")
    public Instant labelledAt;

    @Column(name = "failure_reason", length = 32)
    public String failureReason;

    @Column(name = "failure_message", columnDefinition = "text")
    public String failureMessage;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
