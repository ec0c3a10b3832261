package org.cxr.platform.storage;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Provides the {@link ObjectStore} and creates the platform's buckets when they are missing: at
 * start-up, or at the first readiness check after the store becomes reachable.
 */
@ApplicationScoped
public class ObjectStoreProducer {
    private static final Logger LOG = Logger.getLogger(ObjectStoreProducer.class);

    private final AtomicBoolean bucketsReady = new AtomicBoolean();

    @Produces
    @Singleton
    ObjectStore objectStore(S3Config config) {
        return new ObjectStore(config.endpoint(), config.accessKey(), config.secretKey(), config.timeouts());
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    void onStart(@Observes StartupEvent ev, ObjectStore store, BucketNames buckets) {
        try {
            ensureBuckets(store, buckets);
        } catch (RuntimeException e) {
            LOG.warnf("object store %s not reachable at start-up (%s); buckets will be created when it is",
                    store.endpoint(), e.getMessage());
        }
    }

    /** Creates missing buckets once; later calls only check. */
    public void ensureBuckets(ObjectStore store, BucketNames buckets) {
        if (bucketsReady.get()) {
            return;
        }
        for (String b : buckets.all()) {
            store.ensureBucket(b);
        }
        if (!bucketsReady.getAndSet(true)) {
            LOG.infof("buckets ready on %s: %s", store.endpoint(), buckets.all());
        }
    }
}
