package org.cxr.ingest.rest;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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

import org.cxr.ingest.service.ImportTally;
import org.cxr.ingest.service.ImportService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/imports")
@Tag(name = "imports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
public class ImportResource {
    @Inject
    ImportService imports;

    /**
     * {@code layout}: folder (also auto or absent) or mimic. mimic states that the tree is already
     * de-identified (a MIMIC-CXR release): it is stored byte for byte, ids and text kept.
     */
    public record ImportRequest(String path, String layout) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start importing a folder of the ingest service's filesystem",
            description = "folder (default; auto means folder): any DICOM files and <StudyInstanceUID>.txt reports, ids"
                    + " assigned and de-identified. mimic: files/pXX/pSUBJECT/sSTUDY/*.dcm + sSTUDY.txt, ids kept and"
                    + " files stored byte for byte - only for a tree that is already de-identified (a MIMIC-CXR release):"
                    + " asking for it is that statement. Re-running an import is safe: stored files answer"
                    + " DUPLICATE/UNCHANGED and nothing is announced again.")
    @APIResponse(responseCode = "202", description = "started: {importId}")
    @APIResponse(responseCode = "400", description = "path missing, relative, not a directory, outside the allowed roots, or bad layout")
    public Response start(ImportRequest request) {
        try {
            ImportTally.View v = imports.start(request == null ? null : request.path(),
                    request == null ? null : request.layout());
            return Response.accepted(Map.of("importId", v.importId().toString(), "layout", v.layout())).build();
        } catch (ImportService.BadImport e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Progress of an import")
    @APIResponse(responseCode = "200", description = "files seen/accepted/duplicates/conflicts/rejected/failed/skipped,"
            + " reports, state (RUNNING, DONE, FAILED, INTERRUPTED), rates, rejected files by reason")
    @APIResponse(responseCode = "404", description = "no such import")
    public Response get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Response.status(404).build();
        }
        return imports.get(uuid).map(v -> Response.ok(v).build()).orElse(Response.status(404).build());
    }

    @GET
    @Operation(summary = "The last 100 imports, newest first")
    public List<ImportTally.View> list() {
        return imports.list();
    }
}
