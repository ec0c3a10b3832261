package org.cxr.platform.storage;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cxr.buckets.*}: bucket names, defaults from {@link org.cxr.events.Buckets}. */
@ConfigMapping(prefix = "cxr.buckets")
public interface BucketNames {
    @WithDefault(org.cxr.events.Buckets.RAW)
    String raw();

    @WithDefault(org.cxr.events.Buckets.REPORTS)
    String reports();

    @WithDefault(org.cxr.events.Buckets.JPG)
    String jpg();

    @WithDefault(org.cxr.events.Buckets.RELEASES)
    String releases();

    default List<String> all() {
        return List.of(raw(), reports(), jpg(), releases());
    }
}
