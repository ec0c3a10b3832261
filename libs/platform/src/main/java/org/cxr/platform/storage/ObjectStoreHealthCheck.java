package org.cxr.platform.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers and this service's buckets exist ({@link ObjectStoreProducer}). */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {
    @Inject
    ObjectStore store;
    @Inject
    BucketNames buckets;
    @Inject
    ObjectStoreProducer producer;

    @Override
    public HealthCheckResponse call() {
        var r = HealthCheckResponse.named("object-store").withData("endpoint", store.endpoint());
        try {
            producer.ensureBuckets(store, buckets);
            for (String b : producer.ownBuckets(buckets)) { // never another service's: denied by its policy
                if (!store.bucketExists(b)) {
                    return r.down().withData("missing-bucket", b).build();
                }
            }
            return r.up().build();
        } catch (RuntimeException e) {
            return r.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
