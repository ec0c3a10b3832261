package org.cxr.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.cxr.ingest.domain.deid.AllowList;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;

/** The framework-free domain objects as CDI beans. */
@ApplicationScoped
public class DomainBeans {
    private static final Logger LOG = Logger.getLogger(DomainBeans.class);
    static final String DEVELOPMENT_SECRET = "local-dev-only-id-secret-change-me";

    @Produces
    @ApplicationScoped
    Pseudonyms pseudonyms(IngestConfig config) {
        if (LaunchMode.current() == LaunchMode.NORMAL && DEVELOPMENT_SECRET.equals(config.idSecret())) {
            LOG.warn("CXR_INGEST_ID_SECRET is not set: identifier digests use the public development key, so they"
                    + " do not protect identifiers. Set a random secret and keep it: changing it later changes every research id.");
        }
        return new Pseudonyms(config.idSecret());
    }

    @Produces
    @ApplicationScoped
    DicomDeidentifier deidentifier() {
        return new DicomDeidentifier(AllowList.standard());
    }
}
