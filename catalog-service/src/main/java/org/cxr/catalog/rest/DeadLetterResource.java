package org.cxr.catalog.rest;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.cxr.catalog.domain.indexing.EventDecoder;
import org.cxr.catalog.repository.DeadLetterQueries;
import org.cxr.catalog.service.CatalogException;
import org.cxr.catalog.service.RedriveService;
import org.cxr.events.FailureReason;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
@Tag(name = "dead letters", description = "Every stage's dead letters, counts over time, redrive (the operator's page)")
public class DeadLetterResource {
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final int MAX_IDS = 1000;

    @Inject
    DeadLetterQueries queries;
    @Inject
    RedriveService redrive;
    @Inject
    SecurityIdentity identity;

    @Schema(description = "Dead letters per stage and reason: all-time total and counts per bucket of the window")
    public record Counts(String window, long stepSeconds, List<java.time.Instant> times,
            List<DeadLetterQueries.Series> series) {
    }

    @Schema(description = "Redrive one or more dead letters (eventIds), or every one of a stage (and reason)")
    public record RedriveRequest(
            @Schema(description = "dead-letter ids (eventId in the list)") List<String> eventIds,
            @Schema(description = "convert, label or catalog: every dead letter of the stage") String stage,
            @Schema(description = "with stage: only this reason (a FailureReason name)") String reason,
            @Schema(description = "the same id again redrives nothing twice (a double click, a retried call);"
                    + " default: a new one") String requestId,
            @Schema(description = "only say what would be redriven") Boolean dryRun) {
    }

    @GET
    @Operation(summary = "Dead letters, newest first",
            description = "Each with its stage, reason, message, ids (subject, study, dicom), original topic and event id,"
                    + " attempts and their history, and its last redrive (who, when) unless it failed again since.")
    @APIResponse(responseCode = "200", description = "a page")
    @APIResponse(responseCode = "400", description = "a parameter is invalid; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<DeadLetterQueries.Item> list(@Context UriInfo uri,
            @Parameter(description = "convert, label or catalog") @QueryParam("stage") String stage,
            @Parameter(description = "a FailureReason name") @QueryParam("reason") String reason,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        FilterParams p = new FilterParams(uri.getQueryParameters()).only(Set.of("stage", "reason", "page", "size"), false);
        int pg = p.page();
        int sz = p.size(50, 500);
        FilterParams.checkWindow(pg, sz);
        DeadLetterQueries.ItemPage r = queries.list(stage(stage, false), reason(reason), pg, sz);
        return new Page<>(pg, sz, r.total(), r.items());
    }

    @GET
    @Path("/counts")
    @Operation(summary = "Dead letters per stage and reason over time",
            description = "All-time totals and counts per bucket over the window (by the time the catalog recorded them).")
    @APIResponse(responseCode = "200", description = "the series")
    @APIResponse(responseCode = "400", description = "unknown window",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Counts counts(@Context UriInfo uri, @Parameter(description = "15m, 1h, 6h, 24h (default) or 7d")
            @QueryParam("window") String window) {
        new FilterParams(uri.getQueryParameters()).only(Set.of("window"), false);
        String w = window == null || window.isBlank() ? "24h" : window.strip();
        Duration[] d = PipelineResource.WINDOWS.get(w);
        if (d == null) {
            throw CatalogException.badParameter("window", "window must be one of 15m, 1h, 6h, 24h, 7d");
        }
        DeadLetterQueries.Counts c = queries.counts(d[0], d[1]);
        return new Counts(w, d[1].toSeconds(), c.times(), c.series());
    }

    @POST
    @Path("/redrive")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Redrive dead letters",
            description = "Convert's and label's go back to their stage (the original event on cxr.convert.redrive /"
                    + " cxr.label.redrive, header cxr-attempts = its attempts); the catalog's own are indexed again."
                    + " A dead letter already redriven since its last failure is not sent again; at most 10,000 per"
                    + " request. The caller (the token's principal) is recorded.")
    @APIResponse(responseCode = "200", description = "what was (or, with dryRun, would be) redriven")
    @APIResponse(responseCode = "400", description = "neither eventIds nor stage, or an invalid value; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RedriveService.Result redrive(RedriveRequest body) {
        if (body == null) {
            throw CatalogException.badParameter("body", "a JSON body {\"eventIds\": [...]} or {\"stage\": ...} is required");
        }
        List<String> ids = body.eventIds() == null ? List.of() : body.eventIds();
        if (ids.size() > MAX_IDS || ids.stream().anyMatch(i -> i == null || i.isBlank()
                || i.length() > EventDecoder.MAX_EVENT_ID)) {
            throw CatalogException.badParameter("eventIds", "eventIds: at most " + MAX_IDS + " dead-letter ids of at most "
                    + EventDecoder.MAX_EVENT_ID + " characters");
        }
        String stage = stage(body.stage(), true);
        String reason = reason(body.reason());
        if (ids.isEmpty() && stage == null) {
            throw CatalogException.badParameter("stage", "name the dead letters (eventIds) or a stage");
        }
        if (reason != null && stage == null) {
            throw CatalogException.badParameter("reason", "reason needs a stage");
        }
        String requestId = body.requestId() == null ? UUID.randomUUID().toString() : body.requestId();
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw CatalogException.badParameter("requestId", "requestId: 1..100 letters, digits, '-' or '_'");
        }
        return redrive.redrive(ids, stage, reason, requestId, Principals.name(identity),
                Boolean.TRUE.equals(body.dryRun()));
    }

    private static String stage(String s, boolean redrivable) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.strip();
        if (!RedriveService.STAGES.contains(v) && (redrivable || !v.matches("[a-z-]{1,16}"))) {
            throw CatalogException.badParameter("stage", "stage must be convert, label or catalog");
        }
        return v;
    }

    private static String reason(String r) {
        if (r == null || r.isBlank()) {
            return null;
        }
        try {
            return FailureReason.valueOf(r.strip()).name();
        } catch (IllegalArgumentException e) {
            throw CatalogException.badParameter("reason", "reason must be a FailureReason name, e.g. MULTI_FRAME");
        }
    }
}
