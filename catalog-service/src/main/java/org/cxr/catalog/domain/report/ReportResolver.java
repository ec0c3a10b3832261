package org.cxr.catalog.domain.report;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a study's current report and labels from every fact known about it, so the result does
 * not depend on the order the facts arrived in (a labelling of an older revision never replaces
 * the labels of a newer one, whichever came first).
 *
 * <p>The current labelling is the one of the highest revision (revision of its report sha as
 * announced by report-received; unknown counts as 0), then the latest labelledAt, then the highest
 * labeler version and sha (only to be total). The study counts as labelled unless a newer revision
 * was received that is neither labelled nor rejected yet (it is waiting for the label stage).
 */
public final class ReportResolver {
    private ReportResolver() {
    }

    public static ReportView resolve(Collection<RevisionFact> revisions, Collection<LabellingFact> labellings) {
        Map<String, RevisionFact> bySha = new HashMap<>();
        for (RevisionFact r : revisions) {
            bySha.put(r.sha256(), r);
        }
        Set<String> labelledShas = new HashSet<>();
        for (LabellingFact l : labellings) {
            labelledShas.add(l.reportSha256());
        }
        Comparator<LabellingFact> order = Comparator
                .comparingInt((LabellingFact l) -> revisionOf(bySha, l.reportSha256()))
                .thenComparing(LabellingFact::labelledAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
                .thenComparing(LabellingFact::labelerVersion)
                .thenComparing(LabellingFact::reportSha256);
        LabellingFact winner = labellings.stream().max(order).orElse(null);

        boolean received = revisions.stream().anyMatch(RevisionFact::received);
        int winnerRevision = winner == null ? 0 : revisionOf(bySha, winner.reportSha256());
        boolean newerWaiting = false;
        boolean anyWaiting = false;
        boolean anyFailure = false;
        RevisionFact latest = null;
        for (RevisionFact r : revisions) {
            boolean waiting = r.received() && !r.failed() && !labelledShas.contains(r.sha256());
            anyWaiting |= waiting;
            anyFailure |= r.failed();
            if (waiting && r.revision() > winnerRevision) {
                newerWaiting = true;
            }
            if (latest == null || rank(r) > rank(latest)
                    || rank(r) == rank(latest) && r.sha256().compareTo(latest.sha256()) > 0) {
                latest = r;
            }
        }
        boolean labelled = winner != null && !newerWaiting;
        boolean failed = winner == null && anyFailure && !anyWaiting;
        ReportStatus status = labelled ? ReportStatus.LABELLED : failed ? ReportStatus.FAILED : ReportStatus.RECEIVED;
        RevisionFact shown = labelled ? bySha.get(winner.reportSha256()) : latest;
        Integer currentRevision = shown == null ? null : shown.revision();
        return new ReportView(status, winner, shown, currentRevision, received, labelled, failed);
    }

    private static int revisionOf(Map<String, RevisionFact> bySha, String sha) {
        RevisionFact r = bySha.get(sha);
        return r == null || r.revision() == null ? 0 : r.revision();
    }

    private static int rank(RevisionFact r) {
        return r.revision() == null ? 0 : r.revision();
    }
}
