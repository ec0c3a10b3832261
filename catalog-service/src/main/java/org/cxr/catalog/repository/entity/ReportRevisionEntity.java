package org.cxr.catalog.repository.entity;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A report revision (report-received) and/or its rejection by the label stage. */
@Entity
@Table(name = "report_revision")
public class ReportRevisionEntity {
    @EmbeddedId
    public Key id;

    @Column(name = "revision")
    public Integer revision;

    @Column(name = "report_bucket", length = 63)
    public String reportBucket;

    @Column(name = "report_key", length = 300)
    public String reportKey;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column(name = "source", length = 12)
    public String source;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "failure_reason", length = 32)
    public String failureReason;

    @Column(name = "failure_message", columnDefinition = "text")
    public String failureMessage;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "study_id")
        public Integer studyId;

        @Column(name = "sha256", length = 64)
        public String sha256;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(studyId, k.studyId) && Objects.equals(sha256, k.sha256);
        }

        @Override
        public int hashCode() {
            return Objects.hash(studyId, sha256);
        }
    }
}
