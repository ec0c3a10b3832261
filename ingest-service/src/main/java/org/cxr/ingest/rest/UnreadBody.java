package org.cxr.ingest.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * An answer given before the request body was read to its end (503 for no room, 413 over a limit,
 * 415, an error): what still arrives of the body is dropped as it comes, and the connection is not
 * reused. Otherwise the body's input stream keeps queueing it on the heap until the client has sent
 * it all — an HTTP/1.1 client that does not stop at an early answer (Java's HttpClient) with twelve
 * refused 200 MB uploads filled a 512 MB heap (BoundedMemoryIT).
 */
public class UnreadBody {
    @Inject
    RoutingContext routing;

    @ServerResponseFilter
    public void dropTheRest(ContainerResponseContext response) {
        HttpServerRequest request = routing.request();
        if (!request.isEnded()) {
            response.getHeaders().putSingle("Connection", "close");
            request.handler(chunk -> {
                // dropped: nobody reads this body any more
            });
            request.resume();
        }
    }
}
