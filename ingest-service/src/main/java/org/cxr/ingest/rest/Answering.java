package org.cxr.ingest.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.cxr.ingest.service.Receipts;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * What an upload's answer may carry for this caller: always a receipt; research ids only when the
 * token also holds the researcher role (research ids are a researcher concern, issue 12 item 4).
 */
@RequestScoped
public class Answering {
    static final String RESEARCHER = "researcher";

    @Inject
    SecurityIdentity identity;
    @Inject
    Receipts receipts;

    boolean researchIds() {
        return identity.hasRole(RESEARCHER);
    }

    Receipts receipts() {
        return receipts;
    }
}
