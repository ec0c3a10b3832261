package org.cxr.ingest.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.cxr.ingest.domain.intake.InstanceResult;

/** Body of {@code POST /studies/instances}: one result per received instance, in request order. */
public record InstanceResponse(List<Item> results) {

    /**
     * @param reason  the {@code RejectReason} (REJECTED) or null
     * @param message a human-readable detail (never an identifier), or null
     * @param part    the multipart part name, or null for an application/dicom body
     */
    public record Item(
            String status,
            String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) String subjectId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String studyId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String dicomId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String part) {

        static Item of(InstanceResult r, String part) {
            return new Item(r.status().name(), r.reason() == null ? null : r.reason().name(), r.message(),
                    r.subjectId(), r.studyId(), r.dicomId(), part);
        }
    }
}
