package org.cxr.catalog.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies of the subject and split endpoints (GET /subjects/{subjectId}, pins, GET /splits).
 * Ids are strings of 8 digits (as in the events).
 */
public final class SubjectDtos {
    private SubjectDtos() {
    }

    @Schema(description = "A subject's split and how it was decided")
    public record SplitInfo(String split, @Schema(description = "ASSIGNED or PINNED") String method, String rule,
            Instant assignedAt, String pinnedBy, String pinReason, Instant pinnedAt) {
    }

    public record Pin(String oldSplit, String newSplit, String pinnedBy, String reason, Instant pinnedAt) {
    }

    public record Subject(String subjectId, Instant firstSeenAt, SplitInfo split, List<StudyDtos.StudySummary> studies,
            List<Pin> pins) {
    }

    @Schema(description = "Pin a subject to a split")
    public record PinRequest(@Schema(required = true, enumeration = {"train", "validate", "test"}) String split,
            @Schema(description = "why (recorded with the token's principal)") String reason) {
    }

    public record PinResponse(String subjectId, String oldSplit, String split, boolean subjectCreated,
            int studiesMoved) {
    }

    public record PinnedSubject(String subjectId, String split, String pinnedBy, String pinReason, Instant pinnedAt) {
    }

    public record Splits(@Schema(description = "rule for subjects seen from now on") String currentRule,
            Map<String, Map<String, Long>> subjectsBySplitAndMethod, List<PinnedSubject> pinned) {
    }
}
