package org.cxr.catalog.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.repository.entity.ImageEntity;
import org.cxr.catalog.repository.entity.ReleaseEntity;
import org.cxr.catalog.repository.entity.ReleaseFileEntity;
import org.cxr.catalog.repository.entity.ReportEntity;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.StudyState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON bodies of the catalog API. Ids are strings of 8 digits (as in the events). */
public final class Dtos {
    private Dtos() {
    }

    @Schema(description = "One page of results, in dataset order (subject_id, study_id, dicom_id)")
    public record Page<T>(
            @Schema(description = "0-based page number") int page,
            @Schema(description = "page size (at most 500)") int size,
            @Schema(description = "number of matching items in all pages") long total,
            List<T> items) {
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

        static StudySummary of(FilterIndex.StudySummary s) {
            return new StudySummary(Integer.toString(s.studyId()), Integer.toString(s.subjectId()), s.state(),
                    s.split() == null ? null : s.split().value(), s.studyDate(), s.labelled(), s.imagesKnown(),
                    s.imagesConverted(), s.imagesFailed(), s.viewPositions(), s.failureReason());
        }
    }

    @Schema(description = "An image (DICOM instance) with its JPG and the metadata columns as read from the DICOM")
    public record Image(String dicomId, String studyId, String subjectId,
            @Schema(description = "PENDING, CONVERTED or FAILED") String status,
            @Schema(description = "relative path in a release: files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg") String path,
            String viewPosition, Integer rows, Integer columns,
            @Schema(description = "DICOM StudyDate as stored, e.g. 21800506") String studyDate,
            @Schema(description = "DICOM StudyTime as stored, e.g. 080556.875") String studyTime,
            String performedProcedureStepDescription, String procedureCodeSequenceCodeMeaning,
            String viewCodeSequenceCodeMeaning, String patientOrientationCodeSequenceCodeMeaning,
            String jpgBucket, String jpgKey, Long jpgBytes, String converterVersion, Instant convertedAt,
            Boolean constantImage, String dicomBucket, String dicomKey, Long dicomBytes, String dicomSha256,
            String transferSyntaxUid, Instant receivedAt, String failureReason, String failureMessage, Instant failedAt) {

        static Image of(ImageEntity i) {
            return new Image(i.dicomId, Integer.toString(i.studyId), Integer.toString(i.subjectId), i.status,
                    ObjectKeys.jpg(Integer.toString(i.subjectId), Integer.toString(i.studyId), i.dicomId),
                    i.viewPosition, i.rows, i.columns, i.studyDate, i.studyTime, i.performedProcedureStepDescription,
                    i.procedureCodeMeaning, i.viewCodeMeaning, i.patientOrientationCodeMeaning, i.jpgBucket, i.jpgKey,
                    i.jpgBytes, i.converterVersion, i.convertedAt, i.constantImage, i.dicomBucket, i.dicomKey,
                    i.dicomBytes, i.dicomSha256, i.transferSyntaxUid, i.receivedAt, i.failureReason, i.failureMessage,
                    i.failedAt);
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
            String failureMessage) {

        static Report of(ReportEntity r) {
            return r == null ? null : new Report(r.status, r.reportKey, r.reportSha256, r.revision, r.section,
                    r.sectionText, r.labelerVersion, r.labelledAt, r.failureReason, r.failureMessage);
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
            Map<String, Labels> labels, List<Image> images) {
    }

    @Schema(description = "A subject's split and how it was decided")
    public record SplitInfo(String split, @Schema(description = "ASSIGNED or PINNED") String method, String rule,
            Instant assignedAt, String pinnedBy, String pinReason, Instant pinnedAt) {
    }

    public record Pin(String oldSplit, String newSplit, String pinnedBy, String reason, Instant pinnedAt) {
    }

    public record Subject(String subjectId, Instant firstSeenAt, SplitInfo split, List<StudySummary> studies,
            List<Pin> pins) {
    }

    @Schema(description = "Pin a subject to a split")
    public record PinRequest(@Schema(required = true, enumeration = {"train", "validate", "test"}) String split,
            @Schema(description = "why (recorded)") String reason,
            @Schema(required = true, description = "who pins (recorded)") String operator) {
    }

    public record PinResponse(String subjectId, String oldSplit, String split, boolean subjectCreated,
            int studiesMoved) {
    }

    public record PinnedSubject(String subjectId, String split, String pinnedBy, String pinReason, Instant pinnedAt) {
    }

    public record Splits(@Schema(description = "rule for subjects seen from now on") String currentRule,
            Map<String, Map<String, Long>> subjectsBySplitAndMethod, List<PinnedSubject> pinned) {
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

    @Schema(description = "What to release")
    public record ReleaseRequest(
            @Schema(description = "incremental: only studies completed or changed after this release") Integer since,
            @Schema(description = "also copy the JPGs under files/ in the release bucket (default false)") Boolean withImages,
            @Schema(description = "who asks (recorded)") String requestedBy) {
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
