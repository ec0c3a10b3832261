package org.cxr.catalog.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.cxr.catalog.messaging.ConsumerLag;
import org.cxr.catalog.repository.PipelineQueries;
import org.cxr.catalog.service.CatalogException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/pipeline")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
@Tag(name = "pipeline", description = "Stage rates, consumer lag from the broker, imports (the operator's pipeline page)")
public class PipelineResource {
    /** Window -> bucket size. */
    static final Map<String, Duration[]> WINDOWS = Map.of(
            "15m", new Duration[] {Duration.ofMinutes(15), Duration.ofMinutes(1)},
            "1h", new Duration[] {Duration.ofHours(1), Duration.ofMinutes(1)},
            "6h", new Duration[] {Duration.ofHours(6), Duration.ofMinutes(10)},
            "24h", new Duration[] {Duration.ofHours(24), Duration.ofHours(1)},
            "7d", new Duration[] {Duration.ofDays(7), Duration.ofHours(6)});

    @Inject
    PipelineQueries queries;
    @Inject
    ConsumerLag lag;

    @Schema(description = "Events per stage and time bucket, from the catalog's facts")
    public record Rates(String window, long stepSeconds,
            @Schema(description = "bucket starts (the last bucket is still filling)") List<Instant> times,
            @Schema(description = "stage -> series (received, processed, failed) -> events per bucket")
            Map<String, Map<String, List<Long>>> stages) {
    }

    @GET
    @Path("/rates")
    @Operation(summary = "Received, processed and failed events per stage over the last minutes or hours",
            description = "ingest: instances and reports received; convert: instances received, converted, failed;"
                    + " label: reports received, labelled, failed; catalog: studies completed, records dead-lettered."
                    + " Counted from the times the catalog's facts carry, per bucket (divide by stepSeconds for a rate).")
    @APIResponse(responseCode = "200", description = "the series")
    @APIResponse(responseCode = "400", description = "unknown window")
    public Rates rates(@Context UriInfo uri, @Parameter(description = "15m, 1h (default), 6h, 24h or 7d")
            @QueryParam("window") String window) {
        new FilterParams(uri.getQueryParameters()).only(Set.of("window"), false);
        String w = window == null || window.isBlank() ? "1h" : window.strip();
        Duration[] d = WINDOWS.get(w);
        if (d == null) {
            throw CatalogException.badParameter("window", "window must be one of 15m, 1h, 6h, 24h, 7d");
        }
        PipelineQueries.Rates r = queries.rates(d[0], d[1]);
        return new Rates(w, d[1].toSeconds(), r.times(), r.stages());
    }

    @GET
    @Path("/lag")
    @Operation(summary = "Consumer lag per group and partition, read from the broker",
            description = "For convert-service, label-service and catalog-service: end offset minus committed offset"
                    + " of every partition of the topics the group reads, the group's members now, its health (OK,"
                    + " CATCHING_UP, FALLING_BEHIND, DOWN, IDLE, UNKNOWN over the last 5 minutes) and its total lag"
                    + " over the last 2 hours. Read every few seconds; error says why the last reading failed.")
    @APIResponse(responseCode = "200", description = "the last reading")
    public ConsumerLag.Snapshot lag(@Context UriInfo uri) {
        new FilterParams(uri.getQueryParameters()).only(Set.of(), false);
        return lag.snapshot();
    }

    @GET
    @Path("/imports")
    @Operation(summary = "Imports in progress and finished, as ingest announces them (cxr.import-progress)",
            description = "Running imports first, then the latest; progress counts and rejections by reason.")
    @APIResponse(responseCode = "200", description = "up to 50 imports")
    public List<PipelineQueries.ImportRow> imports(@Context UriInfo uri) {
        new FilterParams(uri.getQueryParameters()).only(Set.of(), false);
        return queries.imports(50);
    }
}
