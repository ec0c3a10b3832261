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
        return serve(bucket, key, BucketReleaseSink.contentType(path), range, ifRange);
    }

    /**
     * The object's bytes: whole (200), or the one range asked for (206) so that an interrupted
     * download continues where it stopped ({@code ./cxr release} sends {@code If-Range} with the
     * ETag it got first, and gets the whole object again if it has changed since). Only the range's
     * bytes are read from the store (a ranged GET after a HEAD for size and ETag).
     */
    private Response serve(String bucket, String key, String contentType, String range, String ifRange) {
        if (range != null && !range.isBlank()) {
            // size and ETag first, then only the range's bytes from the store
            var info = fromStore(() -> store.stat(bucket, key))
                    .orElseThrow(() -> CatalogException.notFound("the file's object is missing from the store"));
            String etag = quoted(info.etag());
            ByteRange r = ifRange == null || ifRange.strip().equals(etag) ? ByteRange.of(range, info.size()) : null;
            if (r == ByteRange.UNSATISFIABLE) {
                return unsatisfiable(info.size());
            }
            if (r != null) {
                InputStream in = fromStore(() -> store.open(bucket, key, r.first(), r.length()));
                if (in instanceof GetObjectResponse g && etag.equals(quoted(g.headers().get("ETag")))) {
                    return partial(in, contentType, r, info.size(), etag);
                }
                close(in); // replaced since the stat: the whole object as it is now
            }
        }
        return whole(fromStore(() -> store.open(bucket, key)), contentType);
    }

    private static <T> T fromStore(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ObjectStoreException e) {
            if (e.notFound()) {
                throw CatalogException.notFound("the file's object is missing from the store");
            }
            throw new CatalogException(503, "object store unavailable; retry later", null);
        }
    }

    /**
     * The whole object (200) with its size and ETag from the SDK's answer ({@link GetObjectResponse},
     * what {@code ObjectStore.open} returns), so that a client can later ask for a range of it.
     */
    private static Response whole(InputStream in, String contentType) {
        if (!(in instanceof GetObjectResponse g) || g.headers().get("Content-Length") == null) {
            return Response.ok(copy(in, -1), contentType).build(); // not a ranged-capable answer
        }
        long size = Long.parseLong(g.headers().get("Content-Length"));
        return Response.ok(copy(in, size), contentType).header("Content-Length", size)
                .header("Accept-Ranges", "bytes").header("ETag", quoted(g.headers().get("ETag"))).build();
    }

    private static Response unsatisfiable(long size) {
        return Response.status(416).header("Content-Range", "bytes */" + size).header("Accept-Ranges", "bytes")
                .type(Problem.MEDIA_TYPE).entity(new Problem("about:blank", "Range Not Satisfiable", 416, "the object has " + size
                        + " bytes; ask for one range within them (bytes=FIRST-[LAST] or bytes=-SUFFIX)",
                        "Range"))
                .build();
    }

    /** 206 with {@code in} holding exactly the range's bytes. */
    private static Response partial(InputStream in, String contentType, ByteRange range, long size, String etag) {
        return Response.status(206).entity(copy(in, range.length())).type(contentType)
                .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size)
                .header("Content-Length", range.length()).header("Accept-Ranges", "bytes").header("ETag", etag).build();
    }

    private static String quoted(String etag) {
        return etag == null || etag.startsWith("\"") || etag.startsWith("W/") ? etag : "\"" + etag + "\"";
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was read; the connection is the SDK's to recycle
        }
    }

    /** Streams {@code length} bytes (all when negative) of {@code in}. */
    private static StreamingOutput copy(InputStream in, long length) {
        return out -> {
            try (in) {
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
