package org.cxr.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * REST upload throughput of the service itself: 1 MB instances, the object store's write cost
 * removed by {@link SinkStore} (real Kafka with acks awaited, real PostgreSQL, full de-identification).
 * Run: {@code mvn -q -pl ingest-service test -Dtest=ServiceCapacityBench -Dingest.bench=true} (about 5 minutes:
 * {@code ingest.bench.warmup} uploads, default 15,000, then {@code ingest.bench.instances}, default 4,000, measured).
 */
@QuarkusTest
@TestProfile(ServiceCapacityBench.Sink.class)
@EnabledIfSystemProperty(named = "ingest.bench", matches = "true")
class ServiceCapacityBench {
    public static class Sink implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SinkStore.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("quarkus.log.category.\"org.cxr\".level", "INFO");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void restThroughputWithoutStoreCost() throws Exception {
        int clients = Integer.getInteger("ingest.bench.clients", 8);
        int count = Integer.getInteger("ingest.bench.instances", 4000);
        // Until the JIT has compiled the whole request path, C2 takes a fifth of the 2 cores the
        // service shares with driver and servers: steady state needs ~15,000 requests here.
        int warmup = Integer.getInteger("ingest.bench.warmup", 15000);
        LoadDriver driver = new LoadDriver(1 << 20, "MRN-BENCH-SINK");
        driver.run(URI.create(base.toString()), clients, 0, warmup);
        long puts = SinkStore.PUTS.get();
        LoadDriver.Result r = driver.run(URI.create(base.toString()), clients, warmup, count);
        BenchReport.write("REST upload, object store write cost removed (sink S3), after " + warmup + " warm-up uploads",
                r.toString());
        assertThat(r.non200()).isZero();
        assertThat(r.notAccepted()).isZero();
        assertThat(SinkStore.PUTS.get() - puts).isEqualTo(count);
    }

    /**
     * CPU per 1 MB instance of a folder import (identified files: de-identified, ids assigned), the
     * store's write cost removed as above: a first import of {@code ingest.bench.import.warmup} files
     * warms the path, a second of {@code ingest.bench.import.instances} other files is measured
     * (issue 19 item 3). Run: {@code mvn -q -pl ingest-service test
     * -Dtest='ServiceCapacityBench#importCpuWithoutStoreCost' -Dingest.bench=true}.
     */
    @Test
    void importCpuWithoutStoreCost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        int warmup = Integer.getInteger("ingest.bench.import.warmup", 1000);
        int count = Integer.getInteger("ingest.bench.import.instances", 1000);
        LoadDriver files = new LoadDriver(1 << 20, "MRN-BENCH-IMPORT");
        java.nio.file.Path warm = write(files, tmp.resolve("warm"), 0, warmup);
        ImportRun.run(warm, "folder");
        try (var old = java.nio.file.Files.list(warm)) { // free the disk before writing the measured files
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) old::iterator) {
                java.nio.file.Files.delete(f);
            }
        }
        java.nio.file.Path measured = write(files, tmp.resolve("measured"), warmup, count);
        CpuAccount cpu = CpuAccount.now();
        io.restassured.path.json.JsonPath r = ImportRun.run(measured, "folder");
        String where = cpu.since("instance", count);
        BenchReport.write("folder import (de-identified), object store write cost removed (sink S3), after a " + warmup
                + "-file import", String.format("%d files of %.2f MB: %s in %.1f s, %.1f instances/s; %s", count,
                files.instance(0).length / 1e6, r.getString("state"), r.getDouble("elapsedSeconds"),
                r.getDouble("instancesPerSecond"), where));
        assertThat(r.getLong("instances.accepted")).isEqualTo(count);
    }

    private static java.nio.file.Path write(LoadDriver files, java.nio.file.Path dir, int first, int count)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        for (int i = first; i < first + count; i++) {
            java.nio.file.Files.write(dir.resolve(i + ".dcm"), files.instance(i));
        }
        return dir;
    }
}
