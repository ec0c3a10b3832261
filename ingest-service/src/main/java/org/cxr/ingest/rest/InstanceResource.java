package org.cxr.ingest.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.events.Source;
import org.cxr.ingest.config.IngestConfig;
import org.cxr.ingest.domain.intake.InstanceResult;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.cxr.ingest.service.IntakeService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/studies/instances")
@Tag(name = "instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {
    static final String APPLICATION_DICOM = "application/dicom";

    @Inject
    IntakeService intake;
    @Inject
    IngestConfig config;

    @POST
    @Consumes(APPLICATION_DICOM)
    @Operation(summary = "Upload one DICOM instance (the body)",
            description = "De-identified, given research ids, stored and announced. A re-sent identical instance is"
                    + " DUPLICATE (nothing announced); the same SOPInstanceUID with other bytes is CONFLICT (recorded,"
                    + " original kept); bad input is REJECTED with a reason.")
    @APIResponse(responseCode = "200", description = "results (one)")
    @APIResponse(responseCode = "413", description = "over cxr.ingest.max-object-bytes")
    @APIResponse(responseCode = "415", description = "not application/dicom or multipart/form-data")
    @APIResponse(responseCode = "503", description = "object store or broker unavailable; nothing recorded; retry after Retry-After")
    public Response single(byte[] body) {
        if (body.length > config.maxObjectBytes()) {
            InstanceResult r = InstanceResult.rejected(new IntakeRejected(RejectReason.TOO_LARGE,
                    "object of " + body.length + " bytes is over the limit of " + config.maxObjectBytes() + " bytes"), null, null);
            return Response.status(413).entity(new InstanceResponse(List.of(InstanceResponse.Item.of(r, null)))).build();
        }
        return Response.ok(new InstanceResponse(List.of(InstanceResponse.Item.of(
                intake.receiveInstance(body, Source.REST, null), null)))).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload DICOM instances as multipart/form-data (one or more parts, any part name)",
            description = "Each part is one instance with its own result; a part over the size limit is REJECTED"
                    + " TOO_LARGE. Each instance is atomic: after a 503, re-send all parts (stored ones answer DUPLICATE).")
    @APIResponse(responseCode = "200", description = "results, one per part in request order")
    @APIResponse(responseCode = "503", description = "object store or broker unavailable; retry after Retry-After")
    public InstanceResponse multipart(@RestForm(FileUpload.ALL) List<FileUpload> parts) {
        List<InstanceResponse.Item> out = new ArrayList<>();
        for (FileUpload part : parts) {
            InstanceResult r;
            if (part.size() > config.maxObjectBytes()) {
                r = InstanceResult.rejected(new IntakeRejected(RejectReason.TOO_LARGE, "part of " + part.size()
                        + " bytes is over the limit of " + config.maxObjectBytes() + " bytes"), null, null);
            } else {
                r = intake.receiveInstance(read(part), Source.REST, null);
            }
            out.add(InstanceResponse.Item.of(r, part.name()));
        }
        return new InstanceResponse(out);
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
