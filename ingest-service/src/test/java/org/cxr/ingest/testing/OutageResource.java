package org.cxr.ingest.testing;

import java.util.HashMap;
import java.util.Map;

import org.cxr.local.testing.LocalInfraTestResource;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real test servers, except one dependency pointed at a port where nothing listens: the
 * service meets a store or broker that is down. Init arg {@code down}: {@code s3} or {@code kafka}.
 */
public class OutageResource implements QuarkusTestResourceLifecycleManager {
    public static final String DEAD = "127.0.0.1:9";
    private String down;

    @Override
    public void init(Map<String, String> initArgs) {
        down = initArgs.get("down");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>(LocalInfraTestResource.endpoints().quarkusConfig("ingest"));
        switch (down) {
            case "s3" -> cfg.put("cxr.s3.endpoint", "http://" + DEAD);
            case "kafka" -> cfg.put("kafka.bootstrap.servers", DEAD);
            default -> throw new IllegalArgumentException("down=" + down);
        }
        cfg.put("cxr.ingest.announce-timeout", "10s");
        return cfg;
    }

    @Override
    public void stop() {
    }
}
