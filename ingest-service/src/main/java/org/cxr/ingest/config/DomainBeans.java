package org.cxr.ingest.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.cxr.ingest.domain.deid.ConfidentialityProfile;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.ids.Pseudonyms;

/** The framework-free domain objects as CDI beans. */
@ApplicationScoped
public class DomainBeans {
    @Produces
    @ApplicationScoped
    Pseudonyms pseudonyms(IngestConfig config) {
        return new Pseudonyms(config.idSecret());
    }

    @Produces
    @ApplicationScoped
    DicomDeidentifier deidentifier() {
        return new DicomDeidentifier(ConfidentialityProfile.standard());
    }
}
