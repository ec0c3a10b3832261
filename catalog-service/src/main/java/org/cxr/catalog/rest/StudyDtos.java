package org.cxr.catalog.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.repository.entity.ReportEntity;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.events.EventJson;
import org.cxr.events.MentionSpan;
import org.cxr.events.Observation;
import org.cxr.events.StudyState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies of the study endpoints (GET /studies, GET /studies/{studyId}).
 * Ids are strings of 8 digits (as in the events).
 */
public final class StudyDtos {
    private StudyDtos() {
    }

    @Schema(description = "A study as listed by GET /studies")
    public record StudySummary(String studyId, String subjectId, StudyState state,
            @Schema(description = "train, validate or test (the subject's split)") String split,
            @Schema(description = "earliest StudyDate of its converted images") LocalDate studyDate,
            @Schema(description = "the current report revision is labelled") boolean labelled,
            @Schema(description = "instances the catalog knows of (received, converted or failed)") int imagesReceived,
            int imagesConverted, int imagesFailed,
            @Schema(description = "ViewPositions of its converted images") List<String> viewPositions,
            @Schema(description = "for a FAILED study: the report's rejection reason, else its instances' most common one")
            String failureReason) {

        static StudySummary of(FilterIndex.IndexedStudy s) {
            return new StudySummary(Integer.toString(s.studyId()), Integer.toString(s.subjectId()), s.state(),
                    s.split() == null ? null : s.split().value(), s.studyDate(), s.labelled(), s.imagesKnown(),
                    s.imagesConverted(), s.imagesFailed(), s.viewPositions(), s.failureReason());
        }
    }

    @Schema(description = "One labeler's current labels of a study")
    public record Labels(String labelerVersion, String reportSha256,
            @Schema(description = "column name -> 1.0, 0.0, -1.0 or null (not mentioned), in published column order")
            Map<String, Double> values) {

        static Labels of(StudyLabelEntity l) {
            Map<String, Double> m = new LinkedHashMap<>();
            Short[] v = l.values();
            Observation[] obs = Observation.values();
            for (int i = 0; i < obs.length; i++) {
                m.put(obs[i].column(), v[i] == null ? null : v[i].doubleValue());
            }
            return new Labels(l.labelerVersion, l.reportSha256, m);
        }
    }

    @Schema(description = "The study's current report: which revision, which section was labelled")
    public record Report(@Schema(description = "RECEIVED, LABELLED or FAILED") String status, String reportKey,
            String reportSha256, Integer revision,
            @Schema(description = "IMPRESSION, FINDINGS, LAST_PARAGRAPH, COMPARISON or NONE") String section,
            String sectionText, String labelerVersion, Instant labelledAt, String failureReason,
            String failureMessage,
            @Schema(description = "each observation mention the labelers kept: characters [start, end) of sectionText,"
                    + " the CheXpert-style value (1.0, 0.0, -1.0) and the NegBio-style one where it differs")
            List<MentionSpan> mentions) {

        static Report of(ReportEntity r, String mentionsJson) {
            return r == null ? null : new Report(r.status, r.reportKey, r.reportSha256, r.revision, r.section,
                    r.sectionText, r.labelerVersion, r.labelledAt, r.failureReason, r.failureMessage,
                    mentions(mentionsJson));
        }

        private static List<MentionSpan> mentions(String json) {
            if (json == null) {
                return null;
            }
            try {
                return List.of(EventJson.mapper().readValue(json, MentionSpan[].class));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored mentions are not readable", e);
            }
        }
    }

    @Schema(description = "A study with its images, labels and report")
    public record StudyDetail(String studyId, String subjectId, StudyState state, String split, LocalDate studyDate,
            boolean labelled, boolean reportReceived, boolean reportFailed, int imagesReceived, int imagesConverted,
            int imagesFailed, List<String> viewPositions,
            @Schema(description = "for a FAILED study: why (FailureReason)") String failureReason,
            @Schema(description = "catalog change sequence of its last change") long changeSeq,
            Instant stateSince, Instant updatedAt, Report report,
            @Schema(description = "chexpert and/or negbio (absent when the labelled section is NONE)")
            Map<String, Labels> labels, List<ImageDtos.Image> images) {
    }
}
