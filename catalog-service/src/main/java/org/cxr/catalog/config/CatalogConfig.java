package org.cxr.catalog.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.catalog.*} (env {@code CXR_CATALOG_...}). */
@ConfigMapping(prefix = "cxr.catalog")
public interface CatalogConfig {

    SplitConfig split();

    QueryConfig query();

    ReleaseConfig release();

    PipelineConfig pipeline();

    /** The pipeline page. */
    interface PipelineConfig {
        /** How often the consumer lag of the pipeline's groups is read from the broker. */
        @WithDefault("10s")
        Duration lagInterval();
    }

    /** Split of new subjects (dataset contract §6); existing subjects keep theirs whatever this says. */
    interface SplitConfig {
        /** Seed of the subject hash; changing it only affects subjects seen afterwards. */
        @WithDefault("cxr-split-v1")
        String seed();

        @WithDefault("0.985")
        double train();

        @WithDefault("0.008")
        double validate();

        @WithDefault("0.007")
        double test();
    }

    interface QueryConfig {
        @WithDefault("50")
        int defaultPageSize();

        @WithDefault("500")
        int maxPageSize();
    }

    interface ReleaseConfig {
        /** Key prefix of releases in the releases bucket: {@code <prefix><release-id>/<file>}. */
        @WithDefault("releases/")
        String prefix();

        /** Scratch directory (staged files before upload, the list of JPGs to copy). */
        @WithDefault("${java.io.tmpdir}/cxr-catalog-release")
        String workDir();

        /** Title of the README. */
        @WithDefault("CXR dataset (MIMIC-CXR-JPG v2.0.0 layout)")
        String datasetName();

        /**
         * How long the replica writing a release holds it without renewing (it renews every third of
         * this): another replica fails a RUNNING release, and removes its objects, only after it expired.
         */
        @WithDefault("30s")
        Duration lease();
    }
}
