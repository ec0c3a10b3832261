package org.cxr.convert.config;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.annotations.StaticInitSafe;

/**
 * Gives {@code cxr.convert.workers} its default, the number of processors the JVM may use (a
 * container's CPU limit), which a properties file cannot express. Lowest precedence: the
 * environment ({@code CXR_CONVERT_WORKERS}) and application.properties override it. Static-init
 * safe: the messaging extension sizes the worker pool during static init (JVM mode: at start-up).
 */
@StaticInitSafe
public class WorkersDefault implements ConfigSource {
    static final String NAME = "cxr.convert.workers";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(NAME);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(NAME, getValue(NAME));
    }

    @Override
    public String getValue(String propertyName) {
        return NAME.equals(propertyName) ? String.valueOf(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public String getName() {
        return "cxr.convert.workers default (available processors)";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
