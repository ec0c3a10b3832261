package org.cxr.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.InfraProcess;
import org.junit.jupiter.api.Test;

/** Which buckets a service checks and creates, against a real S3 API server. */
class ObjectStoreProducerTest {
    /** A client of the shared test S3 server. */
    static ObjectStore open() {
        Endpoints e = InfraProcess.shared().endpoints();
        return new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
    }

    /**
     * Fresh bucket names; the other services' two are names S3 refuses (upper case), so that any
     * HeadBucket or CreateBucket of them fails the call.
     */
    record Names(String raw, String reports, String jpg, String releases) implements BucketNames {
        static Names fresh() {
            long n = System.nanoTime();
            return new Names("t-raw-" + n, "NOT-OURS-REPORTS", "t-jpg-" + n, "NOT-OURS-RELEASES");
        }
    }

    static ObjectStoreProducer producer(List<String> own, Boolean create) {
        ObjectStoreProducer p = new ObjectStoreProducer();
        p.own = own;
        p.create = Optional.ofNullable(create);
        p.launcher = Optional.empty();
        return p;
    }

    @Test
    void createsOnlyItsOwnBucketsWhereItMay() {
        Names names = Names.fresh();
        ObjectStoreProducer p = producer(List.of("raw", "jpg"), true);
        assertThat(p.ownBuckets(names)).containsExactly(names.raw(), names.jpg());
        try (ObjectStore store = open()) {
            assertThatThrownBy(() -> store.bucketExists(names.reports())).as("probing another's bucket fails here")
                    .isInstanceOf(RuntimeException.class);
            p.ensureBuckets(store, names);
            assertThat(store.bucketExists(names.raw())).isTrue();
            assertThat(store.bucketExists(names.jpg())).isTrue();
        }
    }

    @Test
    void inProductionAMissingBucketIsReportedNotCreated() {
        Names names = Names.fresh();
        ObjectStoreProducer p = producer(List.of("raw", "jpg"), false);
        try (ObjectStore store = open()) {
            store.ensureBucket(names.raw()); // the deployment made one of the two
            assertThatThrownBy(() -> p.ensureBuckets(store, names)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bucket " + names.jpg() + " does not exist");
            assertThat(store.bucketExists(names.jpg())).isFalse();
            store.ensureBucket(names.jpg()); // ... and then the other
            p.ensureBuckets(store, names);
        }
    }

    @Test
    void theDefaultsAreAllFourBucketsAndNoCreationInTheProdProfile() {
        ObjectStoreProducer p = producer(List.of("raw", "reports", "jpg", "releases"), null);
        Names names = Names.fresh();
        assertThat(p.ownBuckets(names)).containsExactly(names.raw(), names.reports(), names.jpg(), names.releases());
        assertThat(p.createsBuckets()).as("outside Quarkus the launch mode is NORMAL (prod)").isFalse();
        p.launcher = Optional.of("convert");
        assertThat(p.createsBuckets()).as("started by the local launcher").isTrue();
        p.create = Optional.of(false);
        assertThat(p.createsBuckets()).as("configured").isFalse();
    }

    @Test
    void anUnknownBucketNameIsAConfigurationError() {
        assertThatThrownBy(() -> producer(List.of("raw", "dicom"), false).ownBuckets(Names.fresh()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dicom'");
    }
}
