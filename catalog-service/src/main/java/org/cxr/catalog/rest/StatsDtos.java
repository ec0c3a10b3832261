package org.cxr.catalog.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies of the statistics endpoints (GET /stats/labels, GET /stats/states).
 * Ids are strings of 8 digits (as in the events).
 */
public final class StatsDtos {
    private StatsDtos() {
    }

    public record ObservationStats(String observation, long positive, long negative, long uncertain, long empty,
            @Schema(description = "positive / studies with a label row") double prevalence) {
    }

    public record LabelStats(String labeler, @Schema(description = "studies matching the filters") long studies,
            @Schema(description = "of which with a label row of this labeler") long labelledStudies,
            List<ObservationStats> observations) {
    }

    public record StateStats(long studies, Map<String, Long> studiesByState, Map<String, Long> imagesByStatus,
            Map<String, Long> subjectsBySplit, Map<String, Long> studiesBySplit) {
    }
}
