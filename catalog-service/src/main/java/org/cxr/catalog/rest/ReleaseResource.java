package org.cxr.catalog.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.repository.CatalogQueries;
import org.cxr.catalog.repository.entity.ImageEntity;
import org.cxr.catalog.repository.entity.ReleaseEntity;
import org.cxr.catalog.service.CatalogException;
import org.cxr.catalog.service.ReleaseService;
import org.cxr.catalog.storage.BucketReleaseSink;
import org.cxr.events.ObjectKeys;
import org.cxr.platform.storage.BucketNames;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

@Path("/releases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "releases", description = "Dataset releases in the MIMIC-CXR-JPG layout")
public class ReleaseResource {
    @Inject
    ReleaseService releases;
    @Inject
    CatalogQueries queries;
    @Inject
    ObjectStore store;
    @Inject
    BucketNames buckets;
    @Inject
    SecurityIdentity identity;

    @POST
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Write a release",
            description = "Starts writing release N+1 into the releases bucket (releases/N+1/): the metadata, chexpert,"
                    + " negbio and split CSVs (gzip), IMAGE_FILENAMES, README.md and SHA256SUMS.txt, with the JPGs"
                    + " under files/ when withImages is true. It contains every COMPLETE study, or with since=M only"
                    + " those completed or changed after release M. Poll GET /releases/{id} until DONE. One release"
                    + " runs at a time.")
    @APIResponse(responseCode = "202", description = "started; Location is the release")
    @APIResponse(responseCode = "400", description = "since is not a DONE release",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "another release is being written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(ReleaseDtos.ReleaseRequest body) {
        Integer since = body == null ? null : body.since();
        if (since != null && since < 1) {
            throw CatalogException.badParameter("since", "since must be a release id (>= 1)");
        }
        boolean withImages = body != null && Boolean.TRUE.equals(body.withImages());
        ReleaseEntity r = releases.start(since, withImages, Principals.name(identity));
        return Response.accepted(ReleaseDtos.Release.of(r, List.of())).location(URI.create("/releases/" + r.releaseId)).build();
    }

    @GET
    @RolesAllowed({"researcher", "operator"})
    @Operation(summary = "All releases, newest first")
    public List<ReleaseDtos.Release> list() {
        return releases.list().stream().map(r -> ReleaseDtos.Release.of(r, releases.files(r.releaseId))).toList();
    }

    @GET
    @Path("/{releaseId}")
    @RolesAllowed({"researcher", "operator"})
    @Operation(summary = "One release: status, high-water mark, counts, files with sha256")
    @APIResponse(responseCode = "200", description = "the release")
    @APIResponse(responseCode = "400", description = "not a release id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such release",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReleaseDtos.Release get(@Parameter(in = ParameterIn.PATH, example = "1") @PathParam("releaseId") String releaseId) {
        ReleaseEntity r = release(releaseId);
        return ReleaseDtos.Release.of(r, releases.files(r.releaseId));
    }

    @GET
    @Path("/{releaseId}/files/{path: .+}")
    @RolesAllowed("researcher")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Download a file of a DONE release",
            description = "A release file by name (mimic-cxr-2.0.0-metadata.csv.gz, ..., SHA256SUMS.txt), or a JPG by its"
                    + " path in IMAGE_FILENAMES (files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg), streamed from the object store.")
    @APIResponse(responseCode = "200", description = "the bytes")
    @APIResponse(responseCode = "404", description = "no such release or file",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the release is not DONE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response file(@PathParam("releaseId") String releaseId,
            @Parameter(in = ParameterIn.PATH, example = "mimic-cxr-2.0.0-metadata.csv.gz") @PathParam("path") String path) {
        ReleaseEntity r = release(releaseId);
        if (!ReleaseEntity.DONE.equals(r.status)) {
            throw CatalogException.conflict("the release is " + r.status + "; files are served once it is DONE");
        }
        String bucket;
        String key;
        if (ReleaseFiles.ALL.contains(path) || ReleaseFiles.isImagePath(path) && r.withImages) {
            bucket = buckets.releases();
            key = releases.prefix(r.releaseId) + path;
        } else if (ReleaseFiles.isImagePath(path)) {
            String dicomId = path.substring(path.lastIndexOf('/') + 1, path.length() - 4);
            ImageEntity i = queries.image(dicomId);
            if (i == null || !"CONVERTED".equals(i.status) || !path.equals(ObjectKeys.jpg(
                    Integer.toString(i.subjectId), Integer.toString(i.studyId), dicomId))) {
                throw CatalogException.notFound("no converted image at that path");
            }
            if (!listsImage(r, dicomId)) {
                throw CatalogException.notFound("the release does not list that image in IMAGE_FILENAMES (it arrived or"
                        + " changed after the release)");
            }
            bucket = i.jpgBucket;
            key = i.jpgKey;
        } else {
            throw CatalogException.notFound("the release has no such file");
        }
        InputStream in;
        try {
            in = store.open(bucket, key);
        } catch (ObjectStoreException e) {
            if (e.notFound()) {
                throw CatalogException.notFound("the file's object is missing from the store");
            }
            throw new CatalogException(503, "object store unavailable; retry later", null);
        }
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, BucketReleaseSink.contentType(path)).build();
    }

    private boolean listsImage(ReleaseEntity r, String dicomId) {
        try {
            return releases.listsImage(r, dicomId);
        } catch (ObjectStoreException e) {
            if (e.notFound()) {
                throw CatalogException.notFound("IMAGE_FILENAMES of the release is missing");
            }
            throw new CatalogException(503, "object store unavailable; retry later", null);
        }
    }

    private ReleaseEntity release(String releaseId) {
        int id;
        try {
            id = Integer.parseInt(releaseId);
        } catch (NumberFormatException e) {
            throw CatalogException.badParameter("releaseId", "releaseId must be an integer");
        }
        ReleaseEntity r = releases.find(id);
        if (r == null) {
            throw CatalogException.notFound("no such release");
        }
        return r;
    }
}
