package org.cxr.platform.storage;

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
}
