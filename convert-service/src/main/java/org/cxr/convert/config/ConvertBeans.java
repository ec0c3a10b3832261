package org.cxr.convert.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.MemoryBudget;
import org.cxr.convert.natives.NativeConverter;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/** The domain core as a bean: one thread-safe converter whose memory budget all workers share. */
@ApplicationScoped
public class ConvertBeans {
    private static final Logger LOG = Logger.getLogger(ConvertBeans.class);

    @Produces
    @Singleton
    @Startup
    Converter converter(ConvertConfig config) {
        long budget = config.memoryBudgetMb().map(mb -> mb << 20).orElse(Runtime.getRuntime().maxMemory() / 2);
        // a broken native setup fails the start, not every event
        NativeConverter.preload();
        LOG.infof("%s: %d workers, decoded-pixel budget %d MB, max %d pixels, max object %d MB", Converter.VERSION,
                config.workers(), budget >> 20, config.maxPixels(), config.maxObjectBytes() >> 20);
        return NativeConverter.create(new MemoryBudget(budget), new Converter.Options(config.maxPixels(), true, false, false));
    }
}
