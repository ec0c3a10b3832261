package org.cxr.catalog.rest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.domain.query.ImageFilter;
import org.cxr.catalog.domain.state.ImageStatus;
import org.cxr.catalog.repository.CatalogQueries;
import org.cxr.catalog.repository.QueryIndexFeed;
import org.cxr.catalog.repository.entity.ImageEntity;
import org.cxr.catalog.service.CatalogException;
import org.cxr.catalog.storage.Thumbnails;
import org.cxr.events.Ids;
import org.cxr.platform.storage.ObjectStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/images")
@RolesAllowed("researcher")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "images", description = "Images (DICOM instances and their JPGs) with the metadata columns")
public class ImageResource {
    static final Set<String> PARAMS;

    static {
        var s = new HashSet<>(FilterParams.STUDY_PARAMS);
        s.add("status");
        PARAMS = Set.copyOf(s);
    }

    @Inject
    QueryIndexFeed feed;
    @Inject
    CatalogQueries queries;
    @Inject
    CatalogConfig config;
    @Inject
    Thumbnails thumbnails;

    @GET
    @Operation(summary = "Find images",
            description = "Images matching every filter, in dataset order (subject_id, study_id, dicom_id), paginated"
                    + " with the exact total. view and status apply to the image; label.<labeler>.<observation>,"
                    + " split, state, from, to and subject apply to its study (same syntax as GET /studies).")
    @APIResponse(responseCode = "200", description = "a page of images")
    @APIResponse(responseCode = "400", description = "a parameter is invalid; the body names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<ImageDtos.Image> list(@Context UriInfo uri,
            @Parameter(description = "the image's ViewPosition (PA, AP, LATERAL, LL, ...)", example = "PA")
            @QueryParam("view") List<String> view,
            @Parameter(description = "PENDING, CONVERTED, FAILED", example = "CONVERTED")
            @QueryParam("status") List<String> status,
            @Parameter(description = "train, validate, test") @QueryParam("split") List<String> split,
            @Parameter(description = "state of the image's study") @QueryParam("state") List<String> state,
            @Parameter(description = "earliest study date, inclusive (yyyy-MM-dd)") @QueryParam("from") String from,
            @Parameter(description = "latest study date, inclusive (yyyy-MM-dd)") @QueryParam("to") String to,
            @Parameter(description = "only this subject_id") @QueryParam("subject") String subject,
            @Parameter(description = "0-based page") @QueryParam("page") String page,
            @Parameter(description = "page size, 1..500 (default 50)") @QueryParam("size") String size) {
        FilterParams p = new FilterParams(uri.getQueryParameters()).only(PARAMS, true);
        ImageFilter filter = p.image();
        int pg = p.page();
        int sz = p.size(config.query().defaultPageSize(), config.query().maxPageSize());
        FilterParams.checkWindow(pg, sz);
        FilterIndex.ImagePage result = feed.current().images(filter, pg, sz);
        Map<Integer, List<ImageEntity>> byStudy = new LinkedHashMap<>();
        for (ImageEntity i : queries.imagesOfStudies(result.slices().stream().map(FilterIndex.ImageSlice::studyId).toList())) {
            if (matches(i, filter)) {
                byStudy.computeIfAbsent(i.studyId, k -> new ArrayList<>()).add(i);
            }
        }
        List<ImageDtos.Image> items = new ArrayList<>();
        for (FilterIndex.ImageSlice s : result.slices()) {
            List<ImageEntity> images = byStudy.getOrDefault(s.studyId(), List.of());
            for (int k = s.skip(); k < Math.min(images.size(), s.skip() + s.take()); k++) {
                items.add(ImageDtos.Image.of(images.get(k)));
            }
        }
        return new Page<>(pg, sz, result.total(), items);
    }

    /** The image-level part of the filter, as the index applies it. */
    private static boolean matches(ImageEntity i, ImageFilter f) {
        ImageStatus status = ImageStatus.valueOf(i.status);
        if (!f.statuses().isEmpty() && !f.statuses().contains(status)) {
            return false;
        }
        if (!f.views().isEmpty()) {
            return status == ImageStatus.CONVERTED && i.viewPosition != null
                    && f.views().contains(i.viewPosition.strip().toUpperCase(Locale.ROOT));
        }
        return true;
    }

    @GET
    @Path("/{dicomId}")
    @Operation(summary = "One image")
    @APIResponse(responseCode = "200", description = "the image")
    @APIResponse(responseCode = "400", description = "not a dicom_id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such image",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImageDtos.Image get(@Parameter(in = ParameterIn.PATH, description = "40 hex digits in 5 groups of 8",
            example = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014") @PathParam("dicomId") String dicomId) {
        ImageEntity i = queries.image(dicomId(dicomId));
        if (i == null) {
            throw CatalogException.notFound("no such image in the catalog");
        }
        return ImageDtos.Image.of(i);
    }

    @GET
    @Path("/{dicomId}/thumbnail")
    @Produces("image/jpeg")
    @Operation(summary = "A small JPEG of a converted image (256 pixels on the long side)",
            description = "Made from the JPG convert wrote, cached; for the study pages (no bucket URL leaves the catalog).")
    @APIResponse(responseCode = "200", description = "the thumbnail")
    @APIResponse(responseCode = "400", description = "not a dicom_id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such image, or not converted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response thumbnail(@PathParam("dicomId") String dicomId) {
        ImageEntity i = queries.image(dicomId(dicomId));
        if (i == null || i.jpgKey == null || !"CONVERTED".equals(i.status)) {
            throw CatalogException.notFound("the image has no converted JPG");
        }
        byte[] jpg;
        try {
            jpg = thumbnails.of(i.jpgBucket, i.jpgKey, i.jpgBytes == null ? -1 : i.jpgBytes);
        } catch (ObjectStoreException e) {
            if (e.notFound()) {
                throw CatalogException.notFound("the image's JPG is missing from the store");
            }
            throw new CatalogException(503, "object store unavailable; retry later", null);
        }
        // private: behind a login; the URL names a converted JPG that does not change
        return Response.ok(jpg, "image/jpeg").header("Cache-Control", "private, max-age=3600").build();
    }

    private static String dicomId(String s) {
        if (!Ids.isDicomId(s)) {
            throw CatalogException.badParameter("dicomId",
                    "dicomId must be 40 lowercase hex digits in 5 dash-separated groups of 8");
        }
        return s;
    }
}
