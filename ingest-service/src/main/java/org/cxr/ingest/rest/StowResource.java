package org.cxr.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.Outcome;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.service.IntakeBudget;
import org.cxr.ingest.service.IntakeService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * DICOMweb STOW-RS (PS3.18 10.5): multipart/related; type="application/dicom", one instance per
 * part. Response in the DICOM JSON model: ReferencedSOPSequence for stored instances (also the
 * ones already stored with the same bytes), FailedSOPSequence with FailureReason for the others.
 * 200 all stored, 202 some stored, 409 none stored. No RetrieveURL: ingest serves no WADO-RS.
 */
@Path("/dicomweb/studies")
@Tag(name = "dicomweb")
@RolesAllowed("uploader")
public class StowResource {
    static final String DICOM_JSON = "application/dicom+json";
    static final String MULTIPART_RELATED = "multipart/related";
    static final String REFERENCED_SOP_SEQUENCE = "00081199";
    static final String FAILED_SOP_SEQUENCE = "00081198";
    static final String FAILURE_REASON = "00081197";
    static final String REFERENCED_SOP_CLASS_UID = "00081150";
    static final String REFERENCED_SOP_INSTANCE_UID = "00081155";
    // PS3.18 Table 10.5.3-2 / PS3.4 C-STORE failure codes
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int DOES_NOT_MATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;

    @Inject
    IntakeService intake;
    @Inject
    IngestConfig config;
    @Inject
    IntakeBudget budget;

    @POST
    @Consumes(MULTIPART_RELATED)
    @Produces({DICOM_JSON, "application/json"})
    @Operation(summary = "STOW-RS: store instances", description = "multipart/related; type=\"application/dicom\"")
    @APIResponse(responseCode = "200", description = "all instances stored")
    @APIResponse(responseCode = "202", description = "some stored, some failed (FailedSOPSequence)")
    @APIResponse(responseCode = "409", description = "none stored")
    @APIResponse(responseCode = "415", description = "not multipart/related with type application/dicom")
    @APIResponse(responseCode = "413", description = "body over cxr.ingest.max-stow-bytes")
    @APIResponse(responseCode = "503", description = "object store or broker unavailable, or too many bytes in flight;"
            + " retry after Retry-After")
    public Response store(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
        return stow(contentType, contentLength, body, null);
    }

    @POST
    @Path("/{studyUid}")
    @Consumes(MULTIPART_RELATED)
    @Produces({DICOM_JSON, "application/json"})
    @Operation(summary = "STOW-RS: store instances of one study", description = "instances of another study fail (0xA900)")
    public Response storeToStudy(@PathParam("studyUid") String studyUid,
                                 @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                 @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
        return stow(contentType, contentLength, body, studyUid);
    }

    private Response stow(String contentType, Long contentLength, InputStream body, String studyUid) throws IOException {
        String type = MultipartRelated.parameter(contentType, "type");
        if (type != null && !type.toLowerCase(Locale.ROOT).equals(InstanceResource.APPLICATION_DICOM)) {
            return Response.status(415).type("application/json")
                    .entity(Map.of("error", "only type=\"application/dicom\" (binary instances) is supported")).build();
        }
        long declared = contentLength == null ? -1 : contentLength;
        if (declared > config.maxStowBytes()) {
            return Response.status(413).type("application/json")
                    .entity(Map.of("error", "body over cxr.ingest.max-stow-bytes (" + config.maxStowBytes() + ")")).build();
        }
        // the body is streamed in and checked against its limit; a spooled one is memory-mapped (off the heap)
        IntakeBudget.Reservation room = budget.reserve(declared);
        if (room == null) {
            return UnavailableMapper.busy();
        }
        try (room; Spooled in = Spooled.read(body, declared, config.maxStowBytes(), room)) {
            ByteBuffer bytes = in.bytes != null ? ByteBuffer.wrap(in.bytes) : map(in.file);
            return stow(bytes, contentType, studyUid);
        } catch (Spooled.TooLarge e) {
            return Response.status(413).type("application/json").entity(Map.of("error", e.getMessage())).build();
        } catch (Spooled.NoRoom e) {
            return UnavailableMapper.busy();
        }
    }

    private static ByteBuffer map(java.nio.file.Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
    }

    private Response stow(ByteBuffer body, String contentType, String studyUid) throws IOException {
        List<MultipartRelated.Part> parts;
        try {
            parts = MultipartRelated.parse(body, MultipartRelated.boundary(contentType));
        } catch (IllegalArgumentException e) {
            return Response.status(400).type("application/json").entity(Map.of("error", e.getMessage())).build();
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode referenced = JsonNodeFactory.instance.arrayNode();
        ArrayNode failed = JsonNodeFactory.instance.arrayNode();
        for (MultipartRelated.Part part : parts) {
            InstanceResult r = storePart(part, studyUid);
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            if (r.sopClassUid() != null) {
                item.set(REFERENCED_SOP_CLASS_UID, element("UI", r.sopClassUid()));
            }
            if (r.sopInstanceUid() != null) {
                item.set(REFERENCED_SOP_INSTANCE_UID, element("UI", r.sopInstanceUid()));
            }
            if (r.status() == Outcome.ACCEPTED || r.status() == Outcome.DUPLICATE) {
                referenced.add(item);
            } else {
                ObjectNode reason = JsonNodeFactory.instance.objectNode().put("vr", "US");
                reason.putArray("Value").add(failureReason(r));
                item.set(FAILURE_REASON, reason);
                failed.add(item);
            }
        }
        if (!referenced.isEmpty()) {
            response.set(REFERENCED_SOP_SEQUENCE, sequence(referenced));
        }
        if (!failed.isEmpty()) {
            response.set(FAILED_SOP_SEQUENCE, sequence(failed));
        }
        int status = failed.isEmpty() ? 200 : referenced.isEmpty() ? 409 : 202;
        return Response.status(status).type(DICOM_JSON).entity(response).build();
    }

    private InstanceResult storePart(MultipartRelated.Part part, String studyUid) throws IOException {
        String ct = part.contentType();
        if (ct != null && !ct.toLowerCase(Locale.ROOT).startsWith(InstanceResource.APPLICATION_DICOM)) {
            return InstanceResult.rejected(new IntakeRejected(RejectReason.UNSUPPORTED_FILE,
                    "part of type " + ct + " is not application/dicom"), null, null);
        }
        if (part.size() > config.maxObjectBytes()) {
            return InstanceResult.rejected(new IntakeRejected(RejectReason.TOO_LARGE, "part over the size limit"), null, null);
        }
        try (Spooled p = Spooled.copyOf(part.content().duplicate(), config.inMemoryBytes())) {
            return p.bytes != null ? intake.receiveInstance(p.bytes, Source.STOW_RS, null, studyUid)
                    : intake.receiveInstance(p.file, Source.STOW_RS, null, studyUid);
        }
    }

    private static int failureReason(InstanceResult r) {
        if (r.status() == Outcome.CONFLICT) {
            return DUPLICATE_SOP_INSTANCE;
        }
        return switch (r.reason()) {
            case TOO_LARGE -> OUT_OF_RESOURCES;
            case ID_CLASH -> DOES_NOT_MATCH;
            case NOT_DICOM, MALFORMED_DICOM, MISSING_UID, UNSUPPORTED_FILE, INVALID_VALUE -> CANNOT_UNDERSTAND;
            default -> PROCESSING_FAILURE;
        };
    }

    private static ObjectNode element(String vr, String value) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("vr", vr);
        n.putArray("Value").add(value);
        return n;
    }

    private static ObjectNode sequence(ArrayNode items) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("vr", "SQ");
        n.set("Value", items);
        return n;
    }
}
