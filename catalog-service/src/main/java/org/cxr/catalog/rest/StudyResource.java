package org.cxr.catalog.rest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.repository.CatalogQueries;
import org.cxr.catalog.repository.QueryIndexFeed;
import org.cxr.catalog.repository.entity.StudyEntity;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.catalog.service.CatalogException;
import org.cxr.events.Ids;
import org.cxr.events.StudyState;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/studies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "studies", description = "Studies with their state, split, labels, images and report")
public class StudyResource {
    @Inject
    QueryIndexFeed feed;
    @Inject
    CatalogQueries queries;
    @Inject
    CatalogConfig config;

    @GET
    @RolesAllowed({"researcher", "operator"})
    @Operation(summary = "Find studies",
            description = "Studies matching every given filter, in dataset order (subject_id, study_id), one page at a"
                    + " time with the exact total. Label filters are named label.<chexpert|negbio>.<observation>"
                    + " (e.g. label.chexpert.Edema=1, label.negbio.Pleural_Effusion=-1,0); values 1, 0, -1 (or 1.0,"
                    + " 0.0, -1.0) and empty; a study without labels of that labeler never matches. Lists are"
                    + " comma-separated or repeated. Unknown parameters are refused.")
    @APIResponse(responseCode = "200", description = "a page of studies")
    @APIResponse(responseCode = "400", description = "a parameter is invalid; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<StudyDtos.StudySummary> list(@Context UriInfo uri,
            @Parameter(description = "ViewPosition of at least one converted image (PA, AP, LATERAL, LL, ...)",
                    example = "PA,AP") @QueryParam("view") List<String> view,
            @Parameter(description = "train, validate, test", example = "train") @QueryParam("split") List<String> split,
            @Parameter(description = "pipeline state", schema = @Schema(enumeration = {"RECEIVED", "CONVERTED",
                    "LABELLED", "COMPLETE", "FAILED"})) @QueryParam("state") List<String> state,
            @Parameter(description = "earliest study date, inclusive (yyyy-MM-dd)", example = "2180-01-01")
            @QueryParam("from") String from,
            @Parameter(description = "latest study date, inclusive (yyyy-MM-dd)", example = "2181-01-01")
            @QueryParam("to") String to,
            @Parameter(description = "only this subject_id") @QueryParam("subject") String subject,
            @Parameter(description = "0-based page", example = "0") @QueryParam("page") String page,
            @Parameter(description = "page size, 1..500 (default 50)", example = "50") @QueryParam("size") String size) {
        FilterParams p = new FilterParams(uri.getQueryParameters()).only(FilterParams.STUDY_PARAMS, true);
        var filter = p.study();
        int pg = p.page();
        int sz = p.size(config.query().defaultPageSize(), config.query().maxPageSize());
        FilterParams.checkWindow(pg, sz);
        FilterIndex.StudyPage result = feed.current().studies(filter, pg, sz);
        return new Page<>(pg, sz, result.total(), result.items().stream().map(StudyDtos.StudySummary::of).toList());
    }

    @GET
    @Path("/{studyId}")
    @RolesAllowed("researcher")
    @Operation(summary = "One study with its images, labels (both labelers) and report section")
    @APIResponse(responseCode = "200", description = "the study")
    @APIResponse(responseCode = "400", description = "not a study_id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such study",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public StudyDtos.StudyDetail get(@Parameter(in = ParameterIn.PATH, description = "8 digits, 5xxxxxxx",
            example = "50414267") @PathParam("studyId") String studyId) {
        int id = studyId(studyId);
        StudyEntity s = queries.study(id);
        if (s == null) {
            throw CatalogException.notFound("no such study in the catalog");
        }
        Map<String, StudyDtos.Labels> labels = new TreeMap<>();
        for (Map.Entry<String, StudyLabelEntity> e : queries.labels(id).entrySet()) {
            labels.put(e.getKey(), StudyDtos.Labels.of(e.getValue()));
        }
        return new StudyDtos.StudyDetail(studyId, Integer.toString(s.subjectId), StudyState.valueOf(s.state), s.split,
                s.studyDate, s.labelled, s.reportReceived, s.reportFailed, s.imagesKnown, s.imagesConverted,
                s.imagesFailed, List.of(s.viewPositions), s.failureReason, s.changeSeq, s.stateSince, s.updatedAt,
                report(id), labels,
                queries.imagesOfStudy(id).stream().map(ImageDtos.Image::of).toList());
    }

    private StudyDtos.Report report(int studyId) {
        var r = queries.report(studyId);
        return r == null ? null : StudyDtos.Report.of(r, queries.mentions(studyId, r.reportSha256, r.labelerVersion));
    }

    @GET
    @Path("/{studyId}/history")
    @RolesAllowed("researcher")
    @Operation(summary = "What happened to a study, oldest first",
            description = "Instances received, converted or failed, report revisions received or rejected, labellings,"
                    + " dead letters, and its current state since when (from the catalog's facts).")
    @APIResponse(responseCode = "200", description = "the history")
    @APIResponse(responseCode = "400", description = "not a study_id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such study",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<CatalogQueries.HistoryEntry> history(@Parameter(in = ParameterIn.PATH, description = "8 digits, 5xxxxxxx",
            example = "50414267") @PathParam("studyId") String studyId) {
        int id = studyId(studyId);
        if (queries.study(id) == null) {
            throw CatalogException.notFound("no such study in the catalog");
        }
        return queries.history(id);
    }

    private static int studyId(String s) {
        if (!Ids.isStudyId(s)) {
            throw CatalogException.badParameter("studyId", "studyId must be a study_id (8 digits, 5xxxxxxx)");
        }
        return Integer.parseInt(s);
    }
}
