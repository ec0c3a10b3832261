package org.cxr.catalog.rest;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.cxr.catalog.config.SplitPolicy;
import org.cxr.catalog.domain.query.StudyFilter;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.repository.CatalogQueries;
import org.cxr.catalog.repository.QueryIndexFeed;
import org.cxr.catalog.repository.entity.SubjectEntity;
import org.cxr.catalog.repository.entity.SubjectSplitEntity;
import org.cxr.catalog.service.CatalogException;
import org.cxr.catalog.service.SplitService;
import org.cxr.events.Ids;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subjects", description = "Subjects and their (stable) splits")
public class SubjectResource {
    @Inject
    CatalogQueries queries;
    @Inject
    QueryIndexFeed feed;
    @Inject
    SplitService splits;
    @Inject
    SplitPolicy policy;
    @Inject
    SecurityIdentity identity;

    @GET
    @Path("subjects/{subjectId}")
    @RolesAllowed({"researcher", "operator"})
    @Operation(summary = "One subject: its split (and how it was decided), studies and pin history")
    @APIResponse(responseCode = "200", description = "the subject")
    @APIResponse(responseCode = "400", description = "not a subject_id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such subject",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SubjectDtos.Subject get(@Parameter(in = ParameterIn.PATH, description = "8 digits, 1xxxxxxx", example = "10000032")
            @PathParam("subjectId") String subjectId) {
        int id = subjectId(subjectId);
        SubjectEntity s = queries.subject(id);
        if (s == null) {
            throw CatalogException.notFound("no such subject in the catalog");
        }
        SubjectSplitEntity sp = queries.split(id);
        var studies = feed.current().studies(new StudyFilter(Set.of(), Set.of(), null, null, Set.of(), id, List.of()),
                0, Integer.MAX_VALUE).items().stream().map(StudyDtos.StudySummary::of).toList();
        return new SubjectDtos.Subject(subjectId, s.firstSeenAt,
                sp == null ? null : new SubjectDtos.SplitInfo(sp.split, sp.method, sp.splitRule, sp.assignedAt, sp.pinnedBy,
                        sp.pinReason, sp.pinnedAt),
                studies,
                queries.pins(id).stream().map(p -> new SubjectDtos.Pin(p.oldSplit, p.newSplit, p.pinnedBy, p.reason, p.pinnedAt))
                        .toList());
    }

    @PUT
    @Path("subjects/{subjectId}/split")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pin a subject to a split",
            description = "Puts the subject (known or not yet seen) in the given split for good; recorded with the"
                    + " operator (the token's principal), reason and time. Its studies move with it and are re-announced (StudyIndexed) and"
                    + " included in the next incremental release. Later studies never change it.")
    @APIResponse(responseCode = "200", description = "pinned")
    @APIResponse(responseCode = "400", description = "invalid subject_id, split or operator; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SubjectDtos.PinResponse pin(@Parameter(in = ParameterIn.PATH, description = "8 digits, 1xxxxxxx")
            @PathParam("subjectId") String subjectId, SubjectDtos.PinRequest body) {
        int id = subjectId(subjectId);
        if (body == null) {
            throw CatalogException.badParameter("body", "a JSON body {\"split\": ..., \"reason\": ...} is required");
        }
        if (body.split() == null || body.split().isBlank()) {
            throw CatalogException.badParameter("split", "split is required: train, validate or test");
        }
        Split split;
        try {
            split = Split.of(body.split().strip());
        } catch (IllegalArgumentException e) {
            throw CatalogException.badParameter("split", "split must be train, validate or test");
        }
        if (body.reason() != null && body.reason().length() > 1000) {
            throw CatalogException.badParameter("reason", "reason must be at most 1000 characters");
        }
        SplitService.PinResult r = splits.pin(id, split, Principals.name(identity), body.reason());
        feed.markDirty(); // committed: the next query sees the new split
        return new SubjectDtos.PinResponse(subjectId, r.oldSplit(), r.newSplit(), r.subjectCreated(), r.studiesMoved());
    }

    @GET
    @Path("splits")
    @RolesAllowed({"researcher", "operator"})
    @Operation(summary = "Split summary",
            description = "The rule applied to subjects seen from now on, subjects per split and method, and every"
                    + " pinned subject (keep this list to re-apply pins after rebuilding the catalog).")
    @APIResponse(responseCode = "200", description = "the summary")
    public SubjectDtos.Splits summary(@Context UriInfo uri) {
        new FilterParams(uri.getQueryParameters()).only(Set.of(), false);
        return new SubjectDtos.Splits(policy.assigner().rule(), queries.splitCounts(), queries.pinnedSubjects().stream()
                .map(s -> new SubjectDtos.PinnedSubject(Integer.toString(s.subjectId), s.split, s.pinnedBy, s.pinReason,
                        s.pinnedAt))
                .toList());
    }

    private static int subjectId(String s) {
        if (!Ids.isSubjectId(s)) {
            throw CatalogException.badParameter("subjectId", "subjectId must be a subject_id (8 digits, 1xxxxxxx)");
        }
        return Integer.parseInt(s);
    }
}
