package org.cxr.catalog.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.cxr.catalog.domain.report.LabellingFact;
import org.cxr.catalog.domain.report.ReportResolver;
import org.cxr.catalog.domain.report.ReportStatus;
import org.cxr.catalog.domain.report.ReportView;
import org.cxr.catalog.domain.report.RevisionFact;
import org.cxr.events.ReportSection;
import org.junit.jupiter.api.Test;

class ReportResolverTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    static RevisionFact rev(String sha, Integer revision) {
        return new RevisionFact(sha, revision, "files/p10/p10000032/s50414267.txt", T, null, null);
    }

    static LabellingFact lab(String sha, Instant at) {
        Short[] v = new Short[14];
        v[0] = sha.equals(A) ? (short) 1 : (short) 0;
        return new LabellingFact(sha, "1.0", "k", ReportSection.IMPRESSION, "text " + sha.charAt(0), v, v, at);
    }

    @Test
    void newerRevisionWinsWhateverTheArrivalOrder() {
        List<RevisionFact> revs = List.of(rev(A, 1), rev(B, 2));
        // the labelling of the older revision A arrived last (later labelledAt): it must not win
        List<LabellingFact> labs = List.of(lab(B, T.plusSeconds(10)), lab(A, T.plusSeconds(20)));
        ReportView v = ReportResolver.resolve(revs, labs);
        assertThat(v.current().reportSha256()).isEqualTo(B);
        assertThat(v.labelled()).isTrue();
        assertThat(v.status()).isEqualTo(ReportStatus.LABELLED);
    }

    @Test
    void aNewerRevisionWaitingForLabelsMeansNotLabelled() {
        ReportView v = ReportResolver.resolve(List.of(rev(A, 1), rev(B, 2)), List.of(lab(A, T)));
        assertThat(v.current().reportSha256()).isEqualTo(A);
        assertThat(v.labelled()).isFalse();
        assertThat(v.status()).isEqualTo(ReportStatus.RECEIVED);
    }

    @Test
    void labelsBeforeTheReportWasAnnounced() {
        ReportView v = ReportResolver.resolve(List.of(), List.of(lab(A, T)));
        assertThat(v.labelled()).isTrue();
        assertThat(v.received()).isFalse();
    }

    @Test
    void rejectedReport() {
        RevisionFact failed = new RevisionFact(A, 1, "k", T, "EMPTY_REPORT", "empty");
        ReportView v = ReportResolver.resolve(List.of(failed), List.of());
        assertThat(v.failed()).isTrue();
        assertThat(v.status()).isEqualTo(ReportStatus.FAILED);
        // a later good revision labelled: no longer failed
        ReportView w = ReportResolver.resolve(List.of(failed, rev(B, 2)), List.of(lab(B, T)));
        assertThat(w.status()).isEqualTo(ReportStatus.LABELLED);
    }

    @Test
    void orderOfFactsDoesNotMatter() {
        List<RevisionFact> revs = new ArrayList<>(List.of(rev(A, 1), rev(B, 2)));
        List<LabellingFact> labs = new ArrayList<>(List.of(lab(A, T), lab(B, T.plusSeconds(1)),
                new LabellingFact(B, "2.0", "k", ReportSection.FINDINGS, "x", new Short[14], new Short[14], T)));
        ReportView first = ReportResolver.resolve(revs, labs);
        Random rnd = new Random(1);
        for (int i = 0; i < 50; i++) {
            Collections.shuffle(revs, rnd);
            Collections.shuffle(labs, rnd);
            ReportView v = ReportResolver.resolve(revs, labs);
            assertThat(v.current()).isEqualTo(first.current());
            assertThat(v.status()).isEqualTo(first.status());
        }
    }
}
