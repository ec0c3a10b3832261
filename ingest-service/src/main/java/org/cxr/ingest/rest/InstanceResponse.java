package org.cxr.ingest.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.cxr.ingest.domain.intake.InstanceResult;

/** Body of {@code POST /studies/instances}: one result per received instance, in request order. */
public record InstanceResponse(List<Item> results) {

    /**
     * @param reason    the {@code RejectReason} (REJECTED) or null
     * @param message   a human-readable detail (never an identifier), or null
     * @param receipt   the stored instance's receipt (ACCEPTED, DUPLICATE, CONFLICT: the stored one), or null
     * @param subjectId research ids: only for a caller with the researcher role (an uploader alone gets
     *                  the receipt, so an upload cannot be used to learn a patient's research id)
     * @param part      the multipart part name, or null for an application/dicom body
     */
    public record Item(
            String status,
            String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) String receipt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String subjectId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String studyId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String dicomId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String part) {

        static Item of(InstanceResult r, String part, Answering a) {
            boolean ids = a.researchIds();
            return new Item(r.status().name(), r.reason() == null ? null : r.reason().name(), r.message(),
                    a.receipts().instance(r.dicomId()), ids ? r.subjectId() : null, ids ? r.studyId() : null,
                    ids ? r.dicomId() : null, part);
        }
    }
}
