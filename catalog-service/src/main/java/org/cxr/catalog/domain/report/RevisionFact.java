package org.cxr.catalog.domain.report;

import java.time.Instant;

/**
 * A report revision as the catalog knows it: from report-received (revision set) and/or a label
 * dead letter about it (failure set).
 */
public record RevisionFact(String sha256, Integer revision, String reportKey, Instant receivedAt,
        String failureReason, String failureMessage) {

    public boolean received() {
        return revision != null;
    }

    public boolean failed() {
        return failureReason != null;
    }
}
