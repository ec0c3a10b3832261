package org.cxr.catalog.service;

import static org.cxr.catalog.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.cxr.catalog.config.CatalogConfig;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.SecondReplica;
import org.cxr.catalog.testing.SmallDataset;
import org.cxr.local.testing.LocalInfraTestResource;
import org.cxr.platform.storage.ObjectStore;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Two catalog replicas on the same database, broker and store: this test's application (A) and a
 * second one in its own JVM ({@link SecondReplica}, B). A release is
 * held in the middle of its writing by a lock the test takes on study_label (its metadata, split
 * and IMAGE_FILENAMES are written, its label files wait):
 *
 * <ol>
 * <li>A writes release 1 while B starts and sweeps for 1.5 lease periods: the release
 *     stays RUNNING (A renews its lease), then completes with every file as listed;
 * <li>B writes release 2 and is killed (-9): once its lease expired, A fails the release and
 *     removes the objects B had written, and a new release can be written.
 * </ol>
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class ReleaseReplicasTest {
    static final Duration SLOW = Duration.ofSeconds(180);

    @Inject
    CatalogIndexer indexer;
    @Inject
    ReleaseLeases leases;
    @Inject
    ObjectStore store;
    @Inject
    CatalogConfig config;
    @Inject
    AgroalDataSource ds;

    @Test
    void aLiveReleaseSurvivesAnotherReplicasStartAndADeadOnesIsFailedAndCleaned() throws Exception {
        CatalogDb.reset(ds);
        indexer.index(new SmallDataset(30, 51, 7400, 7400).events);
        long lease = config.release().lease().toMillis();
        SecondReplica b = null;
        Connection lock = null;
        try {
            // 1. A writes, B starts
            lock = lockLabels();
            int r1 = start(given());
            awaitPartial(r1);
            b = SecondReplica.start(Path.of("target", "replica-b.log"), Map.of(
                    // after a kill -9 the group gives B's partitions back to A within seconds
                    "mp.messaging.incoming.catalog-events.session.timeout.ms", "6000",
                    "mp.messaging.incoming.catalog-events.heartbeat.interval.ms", "2000"), SLOW);
            assertThat(row(r1)).as("B's start-up leaves A's release alone").startsWith("RUNNING|" + leases.owner());
            Thread.sleep(lease + lease / 2); // B sweeps at least once more meanwhile; A's heartbeat keeps the lease
            assertThat(row(r1)).startsWith("RUNNING|" + leases.owner());
            lock = unlock(lock);
            awaitStatus(r1, "DONE");
            List<Map<String, Object>> files = given().get("/releases/" + r1).jsonPath().getList("files");
            assertThat(files).hasSize(7);
            for (Map<String, Object> f : files) {
                assertThat(store.exists("cxr-releases", prefix(r1) + f.get("name"))).as((String) f.get("name")).isTrue();
            }

            // 2. B writes and dies
            lock = lockLabels();
            RequestSpecification onB = given().baseUri("http://localhost").port(b.port());
            int r2 = start(onB);
            awaitPartial(r2);
            assertThat(row(r2)).startsWith("RUNNING|").doesNotContain(leases.owner());
            b.kill();
            lock = unlock(lock);
            Awaitility.await().atMost(SLOW).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(row(r2)).startsWith("FAILED|").endsWith("|false");
                assertThat(store.listKeysToList("cxr-releases", prefix(r2))).as("B's partial objects").isEmpty();
            });
            assertThat(given().get("/releases/" + r2).jsonPath().getString("error")).contains("stopped renewing its lease");
            awaitStatus(start(given()), "DONE");
        } finally {
            unlock(lock);
            if (b != null) {
                b.close();
            }
        }
    }

    /** Holds every release at its label files until {@link #unlock}. */
    private Connection lockLabels() throws Exception {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE study_label IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static Connection unlock(Connection c) throws Exception {
        if (c != null) {
            c.rollback();
            c.close();
        }
        return null;
    }

    private static int start(RequestSpecification on) {
        return on.contentType(ContentType.JSON).body("{\"requestedBy\":\"replica test\"}").post("/releases").then()
                .statusCode(202).extract().jsonPath().getInt("releaseId");
    }

    /** The release has written its first files and waits for its label files. */
    private void awaitPartial(int releaseId) {
        Awaitility.await().atMost(SLOW).pollInterval(Duration.ofMillis(200))
                .until(() -> store.exists("cxr-releases", prefix(releaseId) + "IMAGE_FILENAMES"));
    }

    private static void awaitStatus(int releaseId, String status) {
        Awaitility.await().atMost(SLOW).pollInterval(Duration.ofMillis(250))
                .until(() -> status.equals(given().get("/releases/" + releaseId).jsonPath().getString("status")));
    }

    /** status|owner|cleanup_pending */
    private String row(int releaseId) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT status, owner, cleanup_pending FROM dataset_release WHERE release_id = " + releaseId)) {
            rs.next();
            return rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getBoolean(3);
        }
    }

    private String prefix(int releaseId) {
        return ReleaseService.prefix(config, releaseId);
    }
}
