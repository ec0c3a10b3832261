package org.cxr.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportReceived;
import org.cxr.events.Topics;
import org.cxr.ingest.testing.EventTap;
import org.cxr.ingest.testing.Infra;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Against the real S3 server: raw PUT throughput, REST upload throughput, and the import of a
 * generated MIMIC tree (every instance and report announced exactly once; a re-run announces
 * nothing). Tree: {@code -Dingest.bench.tree=/path} written by {@code ./cxr generate}.
 * Run: {@code mvn -q -pl ingest-service test -Dtest=RealStoreBench -Dingest.bench=true -Dingest.bench.tree=/tmp/tree}.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
@TestProfile(RealStoreBench.Quiet.class)
@EnabledIfSystemProperty(named = "ingest.bench", matches = "true")
class RealStoreBench {
    /** Production log levels: the test profile logs every instance at DEBUG. */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"org.cxr\".level", "INFO");
        }
    }

    @TestHTTPResource("/")
    URL base;

    /** Raw PUT throughput of the S3 server, objects of {@code size} bytes, {@code threads} writers. */
    static double[] rawPut(int size, int threads, int count) throws Exception {
        byte[] body = new byte[size];
        new java.util.Random(1).nextBytes(body);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String prefix = "bench/" + System.nanoTime() + "/";
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (long k; (k = next.getAndIncrement()) < count; ) {
                    Infra.store().put("cxr-dicom", prefix + k, body, sha256, "application/octet-stream", Map.of());
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double secs = (System.nanoTime() - t0) / 1e9;
        for (long k = 0; k < count; k++) {
            Infra.store().delete("cxr-dicom", prefix + k);
        }
        return new double[] {count / secs, count * (double) size / secs / 1e6};
    }

    @Test
    void rawPutAndRestUpload() throws Exception {
        for (int threads : new int[] {4, 8}) {
            double[] r = rawPut(1 << 20, threads, 300);
            BenchReport.write("raw S3 PUT (S3Proxy, MinIO SDK), 1 MiB objects, " + threads + " threads",
                    String.format("%.1f objects/s, %.1f MB/s", r[0], r[1]));
        }
        LoadDriver driver = new LoadDriver(1 << 20, "MRN-BENCH-S3");
        int warmup = Integer.getInteger("ingest.bench.s3.warmup", 1000);
        driver.run(URI.create(base.toString()), 8, 0, warmup);
        int count = Integer.getInteger("ingest.bench.instances", 500);
        LoadDriver.Result r = driver.run(URI.create(base.toString()), 8, warmup, count);
        BenchReport.write("REST upload, real S3 (S3Proxy), after " + warmup + " warm-up uploads", r.toString());
        assertThat(r.non200()).isZero();
        assertThat(r.notAccepted()).isZero();
    }

    @Test
    void mimicTreeImportAnnouncesEverythingOnce() throws Exception {
        String tree = System.getProperty("ingest.bench.tree");
        org.junit.jupiter.api.Assumptions.assumeTrue(tree != null, "set -Dingest.bench.tree to a generated MIMIC tree");
        Path root = Path.of(tree).toAbsolutePath();
        long dcm;
        long txt;
        long bytes;
        try (var walk = Files.walk(root)) {
            var files = walk.filter(Files::isRegularFile).toList();
            dcm = files.stream().filter(f -> f.toString().endsWith(".dcm")).count();
            txt = files.stream().filter(f -> f.toString().endsWith(".txt") && f.toString().contains("/files/")).count();
            bytes = files.stream().filter(f -> f.toString().endsWith(".dcm")).mapToLong(f -> f.toFile().length()).sum();
        }
        EventTap tap = EventTap.get();
        Thread.sleep(3000);
        int before = tap.all().size();
        JsonPath first = ImportRun.run(root, "mimic");
        BenchReport.write("MIMIC tree import (" + dcm + " DICOMs, " + txt + " reports, " + String.format("%.0f MB", bytes / 1e6)
                + ", mean " + String.format("%.2f MB", bytes / 1e6 / dcm) + ")",
                String.format("%s in %.1f s: %.1f instances/s, %.1f MB/s; %d instances accepted, %d reports accepted, %d rejected",
                        first.getString("state"), first.getDouble("elapsedSeconds"), first.getDouble("instancesPerSecond"),
                        first.getDouble("megabytesPerSecond"), first.getLong("instances.accepted"),
                        first.getLong("reports.accepted"), first.getLong("rejected")));
        var events = tap.await(e -> true, before + (int) (dcm + txt));
        var instanceEvents = events.subList(before, events.size()).stream().filter(e -> e.topic().equals(Topics.INSTANCE_RECEIVED))
                .map(e -> EventJson.read(e.value(), InstanceReceived.class).dicomId()).toList();
        var reportEvents = events.subList(before, events.size()).stream().filter(e -> e.topic().equals(Topics.REPORT_RECEIVED))
                .map(e -> EventJson.read(e.value(), ReportReceived.class).studyId()).toList();
        Set<String> distinct = instanceEvents.stream().collect(Collectors.toSet());
        BenchReport.write("MIMIC tree import: events", String.format("instance-received %d (%d distinct dicom_ids) for %d DICOMs;"
                + " report-received %d (%d distinct studies) for %d reports", instanceEvents.size(), distinct.size(), dcm,
                reportEvents.size(), reportEvents.stream().distinct().count(), txt));
        assertThat(instanceEvents).hasSize((int) dcm);
        assertThat(distinct).hasSize((int) dcm);
        assertThat(reportEvents).hasSize((int) txt);

        int afterFirst = tap.all().size();
        JsonPath again = ImportRun.run(root, "mimic");
        Thread.sleep(5000);
        BenchReport.write("MIMIC tree re-import", String.format("%s in %.1f s: %d duplicates, %d unchanged reports, %d accepted;"
                        + " new events: %d", again.getString("state"), again.getDouble("elapsedSeconds"),
                again.getLong("instances.duplicates"), again.getLong("reports.unchanged"), again.getLong("accepted"),
                tap.all().size() - afterFirst));
        assertThat(tap.all().size()).isEqualTo(afterFirst);
        double[] put = rawPut((int) (bytes / dcm), 4, 200);
        BenchReport.write("raw S3 PUT at the tree's mean object size, 4 threads (the import's parallelism)",
                String.format("%.1f objects/s, %.1f MB/s", put[0], put[1]));
    }
}
