package org.cxr.catalog.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.domain.split.SplitFractions;

/** The configured {@link SplitAssigner}; configuration errors fail the start-up. */
@ApplicationScoped
public class SplitPolicy {
    private final SplitAssigner assigner;

    @Inject
    public SplitPolicy(CatalogConfig config) {
        CatalogConfig.SplitConfig s = config.split();
        this.assigner = new SplitAssigner(s.seed(), new SplitFractions(s.train(), s.validate(), s.test()));
    }

    public SplitAssigner assigner() {
        return assigner;
    }
}
