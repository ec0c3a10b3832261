package org.cxr.convert.messaging;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A JAX-RS endpoint without a role, in the test build only: stands for one added to the service
 * later, which deny-unannotated-endpoints must close ({@link AccessTest}).
 */
@Path("/unannotated-probe")
public class UnannotatedProbe {
    @GET
    public String get() {
        return "open";
    }
}
