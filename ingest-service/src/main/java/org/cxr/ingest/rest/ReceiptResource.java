package org.cxr.ingest.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.ingest.service.Receipts;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A receipt an upload was answered with, turned into research ids: for researchers and operators, not uploaders. */
@Path("/receipts")
@Tag(name = "receipts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"researcher", "operator"})
public class ReceiptResource {
    @Inject
    Receipts receipts;

    @GET
    @Path("/{receipt}")
    @Operation(summary = "The research ids of an uploaded instance or report revision",
            description = "subjectId, studyId and dicomId (instance) or revision (report): find the study in the catalog"
                    + " (GET /studies/{studyId}).")
    @APIResponse(responseCode = "200", description = "{receipt, subjectId, studyId, dicomId | revision}")
    @APIResponse(responseCode = "404", description = "no such receipt")
    public Response get(@PathParam("receipt") String receipt) {
        return receipts.find(receipt).map(r -> Response.ok(r).build())
                .orElse(Response.status(404).entity(java.util.Map.of("error", "no such receipt")).build());
    }
}
