package org.cxr.ingest.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code cxr.ingest.*} (env {@code CXR_INGEST_...}). */
@ConfigMapping(prefix = "cxr.ingest")
public interface IngestConfig {
    /** HMAC key of the identifier digests and UID remapping. Changing it breaks id stability. */
    String idSecret();

    /** Largest DICOM object accepted (413 / TOO_LARGE above). */
    @WithDefault("268435456")
    long maxObjectBytes();

    @WithDefault("1048576")
    long maxReportBytes();

    /** How long an upload waits for the broker's ack before answering 503. */
    @WithDefault("10s")
    Duration announceTimeout();

    /** The watched drop folder (env {@code CXR_INGEST_DROP_FOLDER}); the watcher is off when unset. */
    Optional<Path> dropFolder();

    @WithDefault("2s")
    Duration dropFolderScanInterval();

    /** A drop-folder file is complete when its size and mtime did not change for this long. */
    @WithDefault("5s")
    Duration dropFolderStableFor();

    /** How long a drop-folder report waits for its study's first DICOM before it is quarantined. */
    @WithDefault("24h")
    Duration dropFolderReportWait();

    /**
     * Sources (names of {@code org.cxr.events.Source}, e.g. {@code IMPORT}) an operator allows to send
     * images at risk of burned-in text (BurnedInAnnotation not NO, secondary captures, screen
     * captures); from any other source they are refused {@code BURNED_IN_RISK}. Empty: none.
     */
    Optional<Set<String>> burnedInAllowedSources();

    @WithName("import")
    Import imports();

    interface Import {
        /** Files processed in parallel by one import (keeps the object store busy). */
        @WithDefault("4")
        int threads();

        /** Directories imports may read (empty: any). */
        Optional<List<Path>> allowedRoots();
    }
}
