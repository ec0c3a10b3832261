package org.cxr.platform.storage;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.s3.*} (env {@code CXR_S3_ENDPOINT}, ...): where the object store is. */
@ConfigMapping(prefix = "cxr.s3")
public interface S3Config {
    @WithDefault("http://localhost:9000")
    String endpoint();

    @WithDefault("minioadmin")
    String accessKey();

    @WithDefault("minioadmin")
    String secretKey();

    /**
     * Opening a connection to the store ({@code CXR_S3_CONNECT_TIMEOUT}). The SDK's own timeouts
     * are 5 minutes: a stalled store would hold a consumer (or a database transaction) that long.
     */
    @WithDefault("5s")
    Duration connectTimeout();

    /** The longest wait for the next bytes of an answer ({@code CXR_S3_READ_TIMEOUT}), not for a whole download. */
    @WithDefault("30s")
    Duration readTimeout();

    /** The longest wait to send the next bytes of an upload ({@code CXR_S3_WRITE_TIMEOUT}). */
    @WithDefault("30s")
    Duration writeTimeout();

    default ObjectStore.Timeouts timeouts() {
        return new ObjectStore.Timeouts(connectTimeout(), readTimeout(), writeTimeout());
    }
}
