package org.cxr.label.config;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.rules.RuleSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The domain core as a bean: one compiled pipeline (thread-safe) for the whole service. */
@ApplicationScoped
public class LabelBeans {
    private static final Logger LOG = Logger.getLogger(LabelBeans.class);

    /** cxr.label.rules-dir: a rule directory to use instead of the bundled rule set (for trials). */
    @ConfigProperty(name = "cxr.label.rules-dir")
    Optional<Path> rulesDir;

    @Produces
    @Singleton
    ReportPipeline pipeline() {
        ReportPipeline p = new ReportPipeline(rulesDir.map(RuleSet::fromDirectory).orElseGet(RuleSet::bundled));
        LOG.infof("labeler %s", p.version());
        return p;
    }
}
