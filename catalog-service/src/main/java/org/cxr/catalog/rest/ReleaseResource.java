package org.cxr.catalog.rest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

import io.minio.GetObjectResponse;
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
    @APIResponse(responseCode = "200", description = "the bytes (Accept-Ranges: bytes, ETag)")
    @APIResponse(responseCode = "206", description = "the range asked for (Content-Range)")
    @APIResponse(responseCode = "416", description = "the range is malformed or starts past the end (Content-Range: bytes */SIZE)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such release or file",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the release is not DONE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response file(@PathParam("releaseId") String releaseId,
            @Parameter(in = ParameterIn.PATH, example = "mimic-cxr-2.0.0-metadata.csv.gz") @PathParam("path") String path,
            @Parameter(description = "one byte range, e.g. bytes=1048576- to continue an interrupted download")
            @HeaderParam("Range") String range,
            @Parameter(description = "the ETag of the bytes already held: the range is served only if it still matches")
            @HeaderParam("If-Range") String ifRange) {
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
        return ranged(in, BucketReleaseSink.contentType(path), range, ifRange);
    }

    /**
     * The object's bytes: whole (200), or the one range asked for (206) so that an interrupted
     * download continues where it stopped ({@code ./cxr release} sends {@code If-Range} with the
     * ETag it got first, and gets the whole object again if it has changed since). The store is read
     * from the start and the bytes before the range are skipped: {@code ObjectStore} (libs/platform)
     * has no ranged read yet. Size and ETag are read from the SDK's answer ({@link GetObjectResponse}, what {@code ObjectStore.open} returns).
     */
    private static Response ranged(InputStream in, String contentType, String rangeHeader, String ifRange) {
        long size = -1;
        String etag = null;
        if (in instanceof GetObjectResponse g) {
            String length = g.headers().get("Content-Length");
            size = length == null ? -1 : Long.parseLong(length);
            etag = g.headers().get("ETag");
            if (etag != null && !etag.startsWith("\"") && !etag.startsWith("W/")) {
                etag = "\"" + etag + "\"";
            }
        }
        if (size < 0) { // not a ranged-capable answer: the whole object, as before
            return Response.ok(copy(in, 0, -1), contentType).build();
        }
        ByteRange range = ifRange == null || ifRange.strip().equals(etag) ? ByteRange.of(rangeHeader, size) : null;
        if (range == ByteRange.UNSATISFIABLE) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing was read; the connection is the SDK's to recycle
            }
            return Response.status(416).header("Content-Range", "bytes */" + size).header("Accept-Ranges", "bytes")
                    .type(Problem.MEDIA_TYPE).entity(new Problem("about:blank", "Range Not Satisfiable", 416, "the object has " + size
                            + " bytes; ask for one range within them (bytes=FIRST-[LAST] or bytes=-SUFFIX)",
                            "Range"))
                    .build();
        }
        Response.ResponseBuilder r = range == null // no Range, or one to ignore: the whole object
                ? Response.ok(copy(in, 0, size), contentType).header("Content-Length", size)
                : Response.status(206).entity(copy(in, range.first(), range.length())).type(contentType)
                        .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size)
                        .header("Content-Length", range.length());
        return r.header("Accept-Ranges", "bytes").header("ETag", etag).build();
    }

    /** Streams {@code length} bytes (all when negative) of {@code in} after skipping {@code skip}. */
    private static StreamingOutput copy(InputStream in, long skip, long length) {
        return out -> {
            try (in) {
                in.skipNBytes(skip);
                if (length < 0) {
                    in.transferTo(out);
                    return;
                }
                byte[] buf = new byte[64 * 1024];
                for (long left = length; left > 0; ) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new EOFException("the object ended " + left + " bytes early");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        };
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
