package org.cxr.catalog.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "One page of results, in dataset order (subject_id, study_id, dicom_id)")
public record Page<T>(
        @Schema(description = "0-based page number") int page,
        @Schema(description = "page size (at most 500)") int size,
        @Schema(description = "number of matching items in all pages") long total,
        List<T> items) {
}
