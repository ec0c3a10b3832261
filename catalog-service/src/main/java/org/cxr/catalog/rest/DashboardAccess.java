package org.cxr.catalog.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The dashboard's browser session, in front of authentication (a filter that runs before it):
 * <ul>
 * <li>a request without an {@code Authorization} header that carries the session cookie
 * {@value #COOKIE} (set by {@code POST /dashboard/session}) is authenticated with the bearer token
 * the cookie holds, exactly as if the browser had sent it as a header;</li>
 * <li>a state-changing request (POST, PUT, PATCH, DELETE) authenticated by a cookie (ours, or the
 * code flow's {@code q_session}) must carry {@value #CSRF_HEADER}: a page of another site can make
 * the browser send the cookie but cannot add a header without a CORS preflight, which this service
 * never grants (the cookies are SameSite as well);</li>
 * <li>a page of the dashboard asked for without any credential goes to the login page (service mode;
 * in hybrid mode the code flow redirects to the identity provider instead).</li>
 * </ul>
 * The login page itself ({@code GET /dashboard/login}) is served here, open: it holds no data, and
 * it reads the token from the URL fragment, which browsers never send to a server.
 */
@ApplicationScoped
public class DashboardAccess {
    public static final String COOKIE = "cxr_dashboard";
    public static final String CSRF_HEADER = "X-CXR-Dashboard";
    public static final String LOGIN = "/dashboard/login";
    /** Above authentication (200), below CORS (300). */
    private static final int PRIORITY = 250;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final String loginPage = resource("/dashboard-login.html");

    @ConfigProperty(name = "quarkus.oidc.application-type", defaultValue = "service")
    String applicationType;

    void filters(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void routes(@Observes Router router) {
        router.get(LOGIN).handler(rc -> rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer")
                .end(loginPage));
    }

    private void filter(RoutingContext rc) {
        var request = rc.request();
        boolean ownHeader = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        Cookie session = request.getCookie(COOKIE);
        boolean cookieAuth = !ownHeader && (session != null || hasCodeFlowSession(rc));
        if (cookieAuth && !SAFE.contains(request.method()) && !"1".equals(request.getHeader(CSRF_HEADER))) {
            rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"a request"
                            + " authenticated by a cookie must carry the header " + CSRF_HEADER + ": 1\"}");
            return;
        }
        if (!ownHeader && session != null && !session.getValue().isEmpty()) {
            request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + session.getValue());
        } else if (!cookieAuth && !ownHeader && isDashboardPage(request.path()) && !"hybrid".equals(applicationType)) {
            rc.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, LOGIN).end();
            return;
        }
        rc.next();
    }

    private static boolean hasCodeFlowSession(RoutingContext rc) {
        return rc.request().cookies().stream().anyMatch(c -> c.getName().startsWith("q_session"));
    }

    /** A page (not the login page, the session endpoint or a script the pages load). */
    static boolean isDashboardPage(String path) {
        if (path == null || !(path.equals("/dashboard") || path.startsWith("/dashboard/"))) {
            return false;
        }
        return !path.startsWith(LOGIN) && !path.startsWith("/dashboard/session")
                && (path.endsWith("/") || path.endsWith(".html") || path.lastIndexOf('.') < path.lastIndexOf('/'));
    }

    private static String resource(String name) {
        try (InputStream in = DashboardAccess.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
