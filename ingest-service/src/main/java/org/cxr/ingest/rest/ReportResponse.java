package org.cxr.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.cxr.ingest.domain.intake.ReportResult;

/**
 * Body of {@code PUT /studies/{studyInstanceUid}/report}: the revision's receipt; research ids only
 * for a caller with the researcher role (see {@link Answering}).
 */
public record ReportResponse(
        String status,
        int revision,
        @JsonInclude(JsonInclude.Include.NON_NULL) String receipt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String subjectId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String studyId,
        String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String message) {

    static ReportResponse of(ReportResult r, Answering a) {
        boolean ids = a.researchIds();
        return new ReportResponse(r.status().name(), r.revision(), a.receipts().report(r.studyId(), r.revision()),
                ids ? r.subjectId() : null, ids ? r.studyId() : null, r.reason() == null ? null : r.reason().name(),
                r.message());
    }

    static ReportResponse rejected(String reason, String message) {
        return new ReportResponse("REJECTED", 0, null, null, null, reason, message);
    }
}
