package org.cxr.catalog.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.domain.query.Labeler;
import org.cxr.catalog.domain.query.StudyFilter;
import org.cxr.catalog.domain.query.StudyLabelValue;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.repository.QueryIndexFeed;
import org.cxr.events.Observation;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/stats")
@RolesAllowed({"researcher", "operator"})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stats", description = "Counts: label prevalence, pipeline states")
public class StatsResource {
    private static final Set<String> LABEL_PARAMS = Set.of("labeler", "view", "split", "state", "from", "to", "subject");

    @Inject
    QueryIndexFeed feed;

    @GET
    @Path("/labels")
    @Operation(summary = "Label prevalence",
            description = "Per observation, the number of studies with each value (1.0 positive, 0.0 negative, -1.0"
                    + " uncertain, empty) and the prevalence (positives / studies with a label row), for one labeler"
                    + " or both, among studies matching the same filters as GET /studies (e.g. state=COMPLETE,"
                    + " split=test).")
    @APIResponse(responseCode = "200", description = "one entry per labeler")
    @APIResponse(responseCode = "400", description = "a parameter is invalid; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<StatsDtos.LabelStats> labels(@Context UriInfo uri,
            @Parameter(description = "chexpert or negbio (default: both)", schema = @Schema(enumeration = {"chexpert",
                    "negbio"})) @QueryParam("labeler") String labeler,
            @Parameter(description = "train, validate, test") @QueryParam("split") List<String> split,
            @Parameter(description = "pipeline state, e.g. COMPLETE") @QueryParam("state") List<String> state,
            @Parameter(description = "ViewPosition of a converted image") @QueryParam("view") List<String> view,
            @Parameter(description = "earliest study date (yyyy-MM-dd)") @QueryParam("from") String from,
            @Parameter(description = "latest study date (yyyy-MM-dd)") @QueryParam("to") String to,
            @Parameter(description = "only this subject_id") @QueryParam("subject") String subject) {
        FilterParams p = new FilterParams(uri.getQueryParameters()).only(LABEL_PARAMS, true);
        Labeler only = p.labeler("labeler");
        StudyFilter filter = p.study();
        FilterIndex index = feed.current();
        List<StatsDtos.LabelStats> out = new ArrayList<>();
        for (Labeler l : Labeler.values()) {
            if (only != null && only != l) {
                continue;
            }
            FilterIndex.LabelStats s = index.labelStats(filter, l);
            List<StatsDtos.ObservationStats> obs = new ArrayList<>();
            for (Observation o : Observation.values()) {
                Map<StudyLabelValue, Long> c = s.counts().get(o);
                long pos = c.get(StudyLabelValue.POSITIVE);
                obs.add(new StatsDtos.ObservationStats(o.column(), pos, c.get(StudyLabelValue.NEGATIVE),
                        c.get(StudyLabelValue.UNCERTAIN), c.get(StudyLabelValue.EMPTY),
                        s.labelledStudies() == 0 ? 0.0 : (double) pos / s.labelledStudies()));
            }
            out.add(new StatsDtos.LabelStats(l.value(), s.studies(), s.labelledStudies(), obs));
        }
        return out;
    }

    @GET
    @Path("/states")
    @Operation(summary = "Counts per pipeline state",
            description = "Studies per state, images per status, subjects and studies per split.")
    @APIResponse(responseCode = "200", description = "the counts")
    @APIResponse(responseCode = "400", description = "unexpected parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public StatsDtos.StateStats states(@Context UriInfo uri) {
        new FilterParams(uri.getQueryParameters()).only(Set.of(), false);
        FilterIndex.StateStats s = feed.current().stateStats();
        return new StatsDtos.StateStats(s.studies(), names(s.studiesByState()), names(s.imagesByStatus()),
                splits(s.subjectsBySplit()), splits(s.studiesBySplit()));
    }

    private static <E extends Enum<E>> Map<String, Long> names(Map<E, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    private static Map<String, Long> splits(Map<Split, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k.value(), v));
        return out;
    }
}
