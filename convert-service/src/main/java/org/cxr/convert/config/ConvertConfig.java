package org.cxr.convert.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.convert.*} (env {@code CXR_CONVERT_*}): how convert-service converts. */
@ConfigMapping(prefix = "cxr.convert")
public interface ConvertConfig {
    /**
     * Conversions at once: the size of the worker pool and of the records in flight. Default:
     * the available processors ({@link WorkersDefault}); conversions are CPU-bound.
     */
    int workers();

    /** Cap on decoded pixel memory held by all conversions at once; default half the heap. */
    Optional<Long> memoryBudgetMb();

    /** Largest Rows x Columns converted (larger: TOO_LARGE). */
    @WithDefault("67108864")
    long maxPixels();

    /** Largest DICOM object read from the store (larger: TOO_LARGE, without reading it). */
    @WithDefault("134217728")
    int maxObjectBytes();

    /** How long to wait for the broker's acknowledgement of an emitted event before retrying. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Longest pause between attempts while the object store or the broker is down. */
    @WithDefault("30s")
    Duration maxBackoff();

    /**
     * Deliveries of one record before it is dead-lettered INTERNAL_ERROR: the conversion threw (an
     * Error too) or the process died while converting it, this many times.
     */
    @WithDefault("3")
    int maxAttempts();
}
