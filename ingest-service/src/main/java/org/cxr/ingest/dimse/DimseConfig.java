package org.cxr.ingest.dimse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.ingest.dimse.*} (env {@code CXR_INGEST_DIMSE_...}): the DICOM storage SCP. docs/hospital-integration.md. */
@ConfigMapping(prefix = "cxr.ingest.dimse")
public interface DimseConfig {
    /** DICOM port (env {@code CXR_INGEST_DIMSE_PORT}); the SCP is off when unset. 0 picks a free port. */
    OptionalInt port();

    Optional<String> bindAddress();

    /** The called AE title peers must use. */
    @WithDefault("CXR_INGEST")
    String aeTitle();

    /**
     * Calling AE titles allowed, comma-separated {@code [SOURCE=]AE_TITLE[@ADDRESS[/PREFIX][|...]]}
     * (env {@code CXR_INGEST_DIMSE_ALLOWED_PEERS}). Nobody when unset.
     */
    Optional<List<String>> allowedPeers();

    /** Storage SOP classes accepted: CR, DX for presentation, DX for processing. */
    @WithDefault("1.2.840.10008.5.1.4.1.1.1,1.2.840.10008.5.1.4.1.1.1.1,1.2.840.10008.5.1.4.1.1.1.1.1")
    Set<String> sopClasses();

    @WithDefault("8")
    int maxAssociations();

    /** The largest P-DATA-TF PDU we receive (announced in the A-ASSOCIATE-AC). */
    @WithDefault("262144")
    int maxPduLength();

    @WithDefault("10s")
    Duration artimTimeout();

    @WithDefault("60s")
    Duration idleTimeout();

    /** Where data sets are buffered while they arrive (default: a folder under java.io.tmpdir). */
    Optional<Path> workDir();
}
