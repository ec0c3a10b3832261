package org.cxr.ingest.hl7;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.events.Source;
import org.cxr.ingest.service.Receipts;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Reports by accession number for RIS integrations that do not speak HL7: the same matching as
 * the MLLP feed ({@link AccessionReports}). Identifiers travel in the JSON body, never in the URL.
 */
@Path("/reports")
@Tag(name = "reports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("uploader")
public class ReportByAccessionResource {
    @Inject
    AccessionReports reports;
    @Inject
    Receipts receipts;
    @Inject
    SecurityIdentity identity;

    /**
     * @param status result status as in HL7 OBR-25: F (default) or C are recorded, others acknowledged and not stored
     */
    public record ReportByAccession(String accessionNumber, String text, String studyInstanceUid, String patientId,
                                    String issuerOfPatientId, String status) {
    }

    /** A receipt for a stored revision; the research studyId only for a caller with the researcher role. */
    public record Answer(String status, int revision, @JsonInclude(JsonInclude.Include.NON_NULL) String receipt,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String studyId,
                         String reason, @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Put a report by accession number",
            description = "Matched to the study whose instances carry the accession number (or named by studyInstanceUid);"
                    + " a report that arrives before its images waits for them (202 WAITING). Scrubbed and stored as a new"
                    + " revision when it differs from the current one.")
    @APIResponse(responseCode = "200", description = "ACCEPTED, UNCHANGED, or IGNORED (status not F/C)")
    @APIResponse(responseCode = "202", description = "WAITING: no images with this accession number yet")
    @APIResponse(responseCode = "400", description = "REJECTED MISSING_UID: no accession number or text")
    @APIResponse(responseCode = "409", description = "REJECTED ID_CLASH: another patient, or an accession number of several studies")
    @APIResponse(responseCode = "413", description = "REJECTED TOO_LARGE")
    @APIResponse(responseCode = "422", description = "REJECTED EMPTY_REPORT / UNDECODABLE_REPORT")
    @APIResponse(responseCode = "503", description = "object store, broker or database unavailable; nothing recorded")
    public Response post(ReportByAccession body) {
        if (body == null || blank(body.accessionNumber()) || body.text() == null) {
            return Response.status(400).entity(new Answer("REJECTED", 0, null, null, "MISSING_UID",
                    "accessionNumber and text are required")).build();
        }
        List<RisReport.PatientId> patient = blank(body.patientId()) ? List.of()
                : List.of(new RisReport.PatientId(body.patientId().strip(), blank(body.issuerOfPatientId()) ? null
                : body.issuerOfPatientId().strip(), null));
        RisOutcome o = reports.receive(new RisReport(body.accessionNumber().strip(),
                blank(body.studyInstanceUid()) ? null : body.studyInstanceUid().strip(),
                blank(body.status()) ? "F" : body.status().strip().toUpperCase(java.util.Locale.ROOT), body.text(), patient,
                Set.of()), Source.REST);
        int http = switch (o.status()) {
            case ACCEPTED, UNCHANGED, IGNORED -> 200;
            case WAITING -> 202;
            case UNAVAILABLE -> 503;
            case REJECTED -> switch (o.reason() == null ? "" : o.reason()) {
                case "ID_CLASH" -> 409;
                case "TOO_LARGE" -> 413;
                case "EMPTY_REPORT", "UNDECODABLE_REPORT" -> 422;
                default -> 400;
            };
        };
        Response.ResponseBuilder r = Response.status(http).entity(new Answer(o.status().name(), o.revision(),
                receipts.report(o.studyId(), o.revision()), identity.hasRole("researcher") ? o.studyId() : null, o.reason(),
                o.message()));
        return http == 503 ? r.header("Retry-After", "5").build() : r.build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
