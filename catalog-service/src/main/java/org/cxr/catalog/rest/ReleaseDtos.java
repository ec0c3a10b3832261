package org.cxr.catalog.rest;

import java.time.Instant;
import java.util.List;

import org.cxr.catalog.repository.entity.ReleaseEntity;
import org.cxr.catalog.repository.entity.ReleaseFileEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies of the release endpoints (POST/GET /releases).
 * Ids are strings of 8 digits (as in the events).
 */
public final class ReleaseDtos {
    private ReleaseDtos() {
    }

    @Schema(description = "What to release")
    public record ReleaseRequest(
            @Schema(description = "incremental: only studies completed or changed after this release") Integer since,
            @Schema(description = "also copy the JPGs under files/ in the release bucket (default false);"
                    + " the release records the token's principal as requestedBy") Boolean withImages) {
    }

    public record ReleaseFile(String name, long bytes, String sha256, String url) {
        static ReleaseFile of(ReleaseFileEntity f) {
            return new ReleaseFile(f.id.name, f.bytes, f.sha256, "/releases/" + f.id.releaseId + "/files/" + f.id.name);
        }
    }

    @Schema(description = "A release: RUNNING, DONE or FAILED")
    public record Release(int releaseId, String status, Integer since, boolean withImages,
            @Schema(description = "the catalog change sequence its snapshot saw") Long highWaterMark,
            String location, Integer images, Integer studies, Integer subjects, Integer chexpertRows,
            Integer negbioRows, String requestedBy, Instant createdAt, Instant finishedAt, String error,
            List<ReleaseFile> files) {

        static Release of(ReleaseEntity r, List<ReleaseFileEntity> files) {
            return new Release(r.releaseId, r.status, r.sinceReleaseId, r.withImages, r.highWaterMark, r.location,
                    r.images, r.studies, r.subjects, r.chexpertRows, r.negbioRows, r.requestedBy, r.createdAt,
                    r.finishedAt, r.error, files.stream().map(ReleaseFile::of).toList());
        }
    }
}
