package org.cxr.catalog.repository.entity;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One labelling result of a report revision by one labeler version (report-labelled). */
@Entity
@Table(name = "report_labelling")
public class ReportLabellingEntity {
    @EmbeddedId
    public Key id;

    @Column(name = "report_key", length = 300)
    public String reportKey;

    @Column(name = "section", nullable = false, length = 16)
    public String section;

    @Column(name = "section_text", nullable = false, columnDefinition = "text")
    public String sectionText;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "chexpert", columnDefinition = "smallint[]")
    public Short[] chexpert;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "negbio", columnDefinition = "smallint[]")
    public Short[] negbio;

    @Column(name = "labelled_at", nullable = false)
    public Instant labelledAt;

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "study_id")
        public Integer studyId;

        @Column(name = "report_sha256", length = 64)
        public String reportSha256;

        @Column(name = "labeler_version", length = 100)
        public String labelerVersion;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(studyId, k.studyId)
                    && Objects.equals(reportSha256, k.reportSha256) && Objects.equals(labelerVersion, k.labelerVersion);
        }

        @Override
        public int hashCode() {
            return Objects.hash(studyId, reportSha256, labelerVersion);
        }
    }
}
