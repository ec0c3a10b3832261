package org.cxr.platform.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Provides the {@link ObjectStore} and checks the buckets this service uses: at start-up, or at the
 * first readiness check after the store becomes reachable.
 * <p>Only the service's own buckets ({@code cxr.object-store.buckets}, logical names {@code raw},
 * {@code reports}, {@code jpg}, {@code releases}; default all four) are checked (HeadBucket): with
 * per-service bucket policies (MinIO in docker-compose and Kubernetes) probing another service's
 * bucket is denied. Missing ones are created only where nothing else creates them
 * ({@code cxr.object-store.create-buckets}; default: in dev and test, and in a service the local
 * launcher started, {@code -Dcxr.launcher.service}, whose S3Proxy has one identity and no set-up
 * job); in production the deployment creates them with their policies, and a missing bucket is a
 * readiness failure naming it.
 */
@ApplicationScoped
public class ObjectStoreProducer {
    private static final Logger LOG = Logger.getLogger(ObjectStoreProducer.class);

    private final AtomicBoolean bucketsReady = new AtomicBoolean();

    @ConfigProperty(name = "cxr.object-store.buckets", defaultValue = "raw,reports,jpg,releases")
    List<String> own;

    @ConfigProperty(name = "cxr.object-store.create-buckets")
    Optional<Boolean> create;

    @ConfigProperty(name = "cxr.launcher.service")
    Optional<String> launcher;

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
            LOG.warnf("object store %s: buckets not ready at start-up (%s); checked again by readiness",
                    store.endpoint(), e.getMessage());
        }
    }

    /** The names of the buckets this service uses, in the order configured. */
    public List<String> ownBuckets(BucketNames buckets) {
        List<String> names = new ArrayList<>();
        for (String logical : own) {
            names.add(switch (logical.strip()) {
                case "raw" -> buckets.raw();
                case "reports" -> buckets.reports();
                case "jpg" -> buckets.jpg();
                case "releases" -> buckets.releases();
                default -> throw new IllegalArgumentException("cxr.object-store.buckets: unknown bucket '" + logical
                        + "' (raw, reports, jpg, releases)");
            });
        }
        return names;
    }

    /** Whether missing buckets are created here (else the deployment's job). */
    boolean createsBuckets() {
        return create.orElse(LaunchMode.current() != LaunchMode.NORMAL || launcher.isPresent());
    }

    /**
     * Checks the own buckets once (creating missing ones where {@link #createsBuckets()}); later calls
     * return at once. Throws while one is missing or the store is unreachable.
     */
    public void ensureBuckets(ObjectStore store, BucketNames buckets) {
        if (bucketsReady.get()) {
            return;
        }
        List<String> names = ownBuckets(buckets);
        boolean creates = createsBuckets();
        for (String b : names) {
            if (creates) {
                store.ensureBucket(b);
            } else if (!store.bucketExists(b)) {
                throw new IllegalStateException("bucket " + b + " does not exist; the deployment creates it"
                        + " (this service does not: cxr.object-store.create-buckets=false)");
            }
        }
        if (!bucketsReady.getAndSet(true)) {
            LOG.infof("buckets ready on %s: %s", store.endpoint(), names);
        }
    }
}
