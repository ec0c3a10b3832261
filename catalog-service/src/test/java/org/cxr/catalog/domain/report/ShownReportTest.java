package org.cxr.catalog.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.cxr.events.ReportSection;
import org.junit.jupiter.api.Test;

class ShownReportTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    static RevisionFact rev(String sha, Integer revision, String failure) {
        return new RevisionFact(sha, revision, revision == null ? null : "key-" + sha.charAt(0), T, failure,
                failure == null ? null : "why " + failure);
    }

    static LabellingFact lab(String sha) {
        Short[] v = new Short[14];
        return new LabellingFact(sha, "1.0", "lab-key-" + sha.charAt(0), ReportSection.IMPRESSION, "text " + sha.charAt(0),
                v, v, T);
    }

    @Test
    void aLabelledReportShowsItsRevisionAndLabelling() {
        ShownReport r = ShownReport.of(ReportResolver.resolve(List.of(rev(A, 1, null)), List.of(lab(A))));
        assertThat(r.status()).isEqualTo(ReportStatus.LABELLED);
        assertThat(r.reportKey()).isEqualTo("key-a");
        assertThat(r.reportSha256()).isEqualTo(A);
        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.labelling().sectionText()).isEqualTo("text a");
        assertThat(r.failureReason()).isNull();
    }

    @Test
    void theLabellingOfAnOlderRevisionIsNotShownNextToANewerOneWaiting() {
        ShownReport r = ShownReport.of(ReportResolver.resolve(List.of(rev(A, 1, null), rev(B, 2, null)), List.of(lab(A))));
        assertThat(r.status()).isEqualTo(ReportStatus.RECEIVED);
        assertThat(r.reportSha256()).isEqualTo(B);
        assertThat(r.revision()).isEqualTo(2);
        assertThat(r.labelling()).isNull();
    }

    @Test
    void labelsBeforeTheReportShowTheLabellingsKey() {
        ShownReport r = ShownReport.of(ReportResolver.resolve(List.of(), List.of(lab(A))));
        assertThat(r.reportKey()).isEqualTo("lab-key-a");
        assertThat(r.reportSha256()).isEqualTo(A);
        assertThat(r.revision()).isNull();
        assertThat(r.labelling()).isNotNull();
    }

    @Test
    void aRejectedReportShowsTheLabelStagesReason() {
        ShownReport r = ShownReport.of(ReportResolver.resolve(List.of(rev(A, 1, "EMPTY_REPORT")), List.of()));
        assertThat(r.status()).isEqualTo(ReportStatus.FAILED);
        assertThat(r.failureReason()).isEqualTo("EMPTY_REPORT");
        assertThat(r.failureMessage()).isEqualTo("why EMPTY_REPORT");
        assertThat(r.labelling()).isNull();
        // a rejection known only from the dead letter (no report-received): the shown revision has no key
        ShownReport unknown = ShownReport.of(ReportResolver.resolve(List.of(rev(B, null, "EMPTY_REPORT")), List.of()));
        assertThat(unknown.reportKey()).isNull();
        assertThat(unknown.failureReason()).isEqualTo("EMPTY_REPORT");
    }
}
