package org.cxr.ingest.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.cxr.ingest.domain.intake.ReportResult;

/** Body of {@code PUT /studies/{studyInstanceUid}/report}. */
public record ReportResponse(
        String status,
        int revision,
        @JsonInclude(JsonInclude.Include.NON_NULL) String subjectId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String studyId,
        String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String message) {

    static ReportResponse of(ReportResult r) {
        return new ReportResponse(r.status().name(), r.revision(), r.subjectId(), r.studyId(),
                r.reason() == null ? null : r.reason().name(), r.message());
    }
}
