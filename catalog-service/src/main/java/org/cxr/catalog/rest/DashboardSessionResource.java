package org.cxr.catalog.rest;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The dashboard's local login: the login page sends the token of its link as a bearer token once;
 * this answers with an HttpOnly, SameSite=Strict cookie holding it until it expires, which
 * {@link DashboardAccess} turns back into a bearer token on every request of the pages. Scripts
 * never see the token afterwards, and another site cannot use the cookie.
 */
@Path("/dashboard/session")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard", description = "The dashboard's browser session")
public class DashboardSessionResource {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken jwt;

    /** Who is logged in, for the pages. */
    public record Session(String name, java.util.List<String> roles, Instant expiresAt) {
    }

    @POST
    @RolesAllowed({"operator", "researcher"})
    @Operation(summary = "Start a dashboard session with the bearer token of this request",
            description = "Sets the HttpOnly, SameSite=Strict cookie cxr_dashboard (until the token expires); the"
                    + " dashboard's requests are then authenticated by it.")
    @APIResponse(responseCode = "200", description = "the session's principal, roles and end")
    public Response start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri,
            @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        String token = authorization == null ? "" : authorization.replaceFirst("(?i)^Bearer\\s+", "").strip();
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        int maxAge = (int) Math.max(0, expires.getEpochSecond() - Instant.now().getEpochSecond());
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme()) || "https".equalsIgnoreCase(forwardedProto);
        NewCookie cookie = new NewCookie.Builder(DashboardAccess.COOKIE).value(token).path("/").maxAge(maxAge)
                .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.ok(current(expires)).cookie(cookie).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @RolesAllowed({"operator", "researcher"})
    @Operation(summary = "End the dashboard session (the cookie is removed)")
    @APIResponse(responseCode = "204", description = "logged out")
    public Response end() {
        NewCookie gone = new NewCookie.Builder(DashboardAccess.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(gone).build();
    }

    @jakarta.ws.rs.GET
    @RolesAllowed({"operator", "researcher"})
    @Operation(summary = "Who the dashboard is logged in as (principal, roles, end of the session)")
    @APIResponse(responseCode = "200", description = "the session")
    public Session who() {
        return current(Instant.ofEpochSecond(jwt.getExpirationTime()));
    }

    private Session current(Instant expires) {
        return new Session(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList(), expires);
    }
}
