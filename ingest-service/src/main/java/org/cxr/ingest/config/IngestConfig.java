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

    /**
     * Bodies up to this size are held in memory (the fast path); larger ones are spooled to a
     * temporary file and streamed through de-identification to the object store.
     */
    @WithDefault("16777216")
    long inMemoryBytes();

    /**
     * Bound on the bytes of request bodies being received or processed at once, in memory or
     * spooled to disk; beyond it an upload is answered 503 + Retry-After.
     */
    @WithDefault("2147483648")
    long maxBytesInFlight();

    /**
     * Bound on the memory uploads may take at once (held bodies, their de-identified copies,
     * buffers); unset: a quarter of the JVM's maximum heap. Beyond it a small body is spooled to
     * disk instead, and when even that does not fit the upload is answered 503 + Retry-After.
     */
    Optional<Long> maxMemoryBytes();

    /** Largest header (everything before the pixel data) a DICOM may have. */
    @WithDefault("33554432")
    long maxHeaderBytes();

    /** Largest size a deflated DICOM dataset may inflate to (deflate bombs end at this bound). */
    @WithDefault("67108864")
    long maxInflatedBytes();

    /** Largest STOW-RS request body (several instances). */
    @WithDefault("1073741824")
    long maxStowBytes();

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

    /**
     * How long the identified originals of processed drop-folder files are kept in {@code processed/}:
     * 0 deletes them as soon as they are stored de-identified.
     */
    @WithDefault("0s")
    Duration dropFolderProcessedRetention();

    /** Attempts of a drop-folder file that meets an outage before it is quarantined UNAVAILABLE. */
    @WithDefault("20")
    int dropFolderMaxAttempts();

    /** Longest pause between those attempts (they back off exponentially from the scan interval, with jitter). */
    @WithDefault("5m")
    Duration dropFolderMaxBackoff();

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
