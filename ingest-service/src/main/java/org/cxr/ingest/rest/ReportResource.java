package org.cxr.ingest.rest;

import java.nio.charset.Charset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.cxr.events.Source;
import org.cxr.ingest.domain.intake.ReportResult;
import org.cxr.ingest.service.IntakeService;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/studies/{studyInstanceUid}/report")
@Tag(name = "reports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("uploader")
public class ReportResource {
    /** The patient of a study no instance was received for yet: in headers, never in the URL (issue 12 item 4). */
    static final String PATIENT_ID = "X-Patient-ID";
    static final String ISSUER = "X-Issuer-Of-Patient-ID";

    @Inject
    IntakeService intake;
    @Inject
    Answering answering;

    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    @Operation(summary = "Put the report of a study",
            description = "The text is de-identified (names, dates, ages, phone and id numbers → ___) and stored as a new"
                    + " revision when it differs from the current one (addenda), else UNCHANGED. The patient (headers "
                    + PATIENT_ID + ", " + ISSUER + ") is needed only when no instance of the study was received yet;"
                    + " identifiers in the query string are refused (400). The answer carries a receipt; research ids"
                    + " only for a caller that also holds the researcher role.")
    @APIResponse(responseCode = "200", description = "ACCEPTED (new revision, announced) or UNCHANGED")
    @APIResponse(responseCode = "400", description = "REJECTED MISSING_UID, or a query string (identifiers go in headers)")
    @APIResponse(responseCode = "404", description = "REJECTED UNKNOWN_STUDY: give " + PATIENT_ID + " to create the study")
    @APIResponse(responseCode = "409", description = "REJECTED ID_CLASH: the study belongs to another patient")
    @APIResponse(responseCode = "413", description = "REJECTED TOO_LARGE (cxr.ingest.max-report-bytes)")
    @APIResponse(responseCode = "415", description = "not text/plain, or an unknown charset")
    @APIResponse(responseCode = "422", description = "REJECTED UNDECODABLE_REPORT (bytes invalid in the charset), EMPTY_REPORT or INVALID_VALUE")
    @APIResponse(responseCode = "503", description = "object store or broker unavailable; nothing recorded")
    public Response put(@PathParam("studyInstanceUid") String studyInstanceUid,
                        @Parameter(description = "PatientID, to create an unknown study's subject") @HeaderParam(PATIENT_ID) String patientId,
                        @Parameter(description = "Issuer of PatientID") @HeaderParam(ISSUER) String issuer,
                        @HeaderParam(HttpHeaders.CONTENT_TYPE) MediaType contentType, @Context UriInfo uri, byte[] body) {
        if (!uri.getQueryParameters().isEmpty()) {
            // the old ?patientId=&issuer= form: refused, so an identifier in a URL never becomes a habit
            return Response.status(400).entity(ReportResponse.rejected("MISSING_UID",
                    "no query parameters: the patient goes in the " + PATIENT_ID + " and " + ISSUER + " headers")).build();
        }
        String charset = contentType == null ? null : contentType.getParameters().get("charset");
        if (charset != null && !supported(charset)) {
            // the value is the client's and may be anything (an identifier pasted in the wrong field): never repeated
            return Response.status(415).entity(ReportResponse.rejected("UNDECODABLE_REPORT",
                    "unsupported or malformed charset")).build();
        }
        ReportResult r = intake.receiveReport(studyInstanceUid, body, charset, patientId, issuer, Source.REST);
        int status = switch (r.status()) {
            case ACCEPTED, UNCHANGED -> 200;
            default -> switch (r.reason()) {
                case TOO_LARGE -> 413;
                case UNDECODABLE_REPORT, EMPTY_REPORT, INVALID_VALUE -> 422;
                case UNKNOWN_STUDY -> 404;
                case ID_CLASH -> 409;
                default -> 400;
            };
        };
        return Response.status(status).entity(ReportResponse.of(r, answering)).build();
    }

    /** An illegal name ({@code 'x}) is as unsupported as an unknown one; Charset.isSupported throws for it. */
    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException
            return false;
        }
    }
}
