package org.cxr.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.service.IntakeBudget;
import org.cxr.ingest.service.IntakeService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/studies/instances")
@Tag(name = "instances")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("uploader")
public class InstanceResource {
    static final String APPLICATION_DICOM = "application/dicom";

    @Inject
    IntakeService intake;
    @Inject
    IngestConfig config;
    @Inject
    IntakeBudget budget;
    @Inject
    Answering answering;

    @POST
    @Consumes(APPLICATION_DICOM)
    @Operation(summary = "Upload one DICOM instance (the body)",
            description = "De-identified, given research ids, stored and announced. Each result carries a receipt (research"
                    + " ids only for a caller that also holds the researcher role: GET /receipts/{receipt} turns a receipt into them). A re-sent identical instance is"
                    + " DUPLICATE (nothing announced); the same SOPInstanceUID with other bytes is CONFLICT (recorded,"
                    + " original kept); bad input is REJECTED with a reason. The body is streamed: held in memory when small,"
                    + " else spooled to a temporary file, and checked against the size limit as it arrives.")
    @APIResponse(responseCode = "200", description = "results (one)")
    @APIResponse(responseCode = "413", description = "over cxr.ingest.max-object-bytes")
    @APIResponse(responseCode = "415", description = "not application/dicom or multipart/form-data")
    @APIResponse(responseCode = "503", description = "object store, broker or database unavailable, or too many bytes in"
            + " flight; nothing recorded; retry after Retry-After")
    public Response single(@HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) throws IOException {
        long declared = contentLength == null ? -1 : contentLength;
        if (declared > config.maxObjectBytes()) {
            return tooLarge("object of " + declared + " bytes is over the limit of " + config.maxObjectBytes() + " bytes");
        }
        IntakeBudget.Reservation room = budget.reserve(declared);
        if (room == null) {
            return UnavailableMapper.busy();
        }
        try (room; Spooled in = Spooled.read(body, declared, config.maxObjectBytes(), room)) {
            InstanceResult r = in.bytes != null ? intake.receiveInstance(in.bytes, Source.REST, null)
                    : intake.receiveInstance(in.file, Source.REST, null, null);
            return Response.ok(new InstanceResponse(List.of(InstanceResponse.Item.of(r, null, answering)))).build();
        } catch (Spooled.TooLarge e) {
            return tooLarge(e.getMessage());
        } catch (Spooled.NoRoom e) {
            return UnavailableMapper.busy();
        }
    }

    private Response tooLarge(String message) {
        InstanceResult r = InstanceResult.rejected(new IntakeRejected(RejectReason.TOO_LARGE, message), null, null);
        return Response.status(413).entity(new InstanceResponse(List.of(InstanceResponse.Item.of(r, null, answering)))).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload DICOM instances as multipart/form-data (one or more parts, any part name)",
            description = "Each part is one instance with its own result; a part over the size limit is REJECTED"
                    + " TOO_LARGE. Each instance is atomic: after a 503, re-send all parts (stored ones answer DUPLICATE).")
    @APIResponse(responseCode = "200", description = "results, one per part in request order")
    @APIResponse(responseCode = "503", description = "object store or broker unavailable, or too many bytes in flight;"
            + " retry after Retry-After")
    public Response multipart(@RestForm(FileUpload.ALL) List<FileUpload> parts) throws IOException {
        List<InstanceResponse.Item> out = new ArrayList<>();
        for (FileUpload part : parts) {
            InstanceResult r;
            if (part.size() > config.maxObjectBytes()) {
                r = InstanceResult.rejected(new IntakeRejected(RejectReason.TOO_LARGE, "part of " + part.size()
                        + " bytes is over the limit of " + config.maxObjectBytes() + " bytes"), null, null);
            } else {
                // the part is already on disk (Quarkus writes file uploads there): small ones are read, large ones streamed
                IntakeBudget.Reservation room = budget.reserve(part.size());
                if (room == null) {
                    return UnavailableMapper.busy();
                }
                try (room) {
                    r = room.inMemory() ? intake.receiveInstance(read(part), Source.REST, null)
                            : intake.receiveInstance(part.uploadedFile(), Source.REST, null, null);
                }
            }
            out.add(InstanceResponse.Item.of(r, part.name(), answering));
        }
        return Response.ok(new InstanceResponse(out)).build();
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
