package org.cxr.catalog.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cxr.catalog.config.SplitPolicy;
import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.catalog.service.ReleaseService;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.cxr.catalog.testing.CatalogDb;
import org.cxr.catalog.testing.KafkaTestClient;
import org.cxr.catalog.testing.TestEvents;
import org.cxr.events.CxrEvent;
import org.cxr.events.EventHeaders;
import org.cxr.events.EventJson;
import org.cxr.events.Observation;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The catalog at MIMIC-CXR-JPG size (docs/benchmarks.md, section catalog). Runs only with
 * {@code -Dcxr.bench=true}:
 *
 * <pre>
 * mvn -pl catalog-service test -Dtest=CatalogBenchmark -Dcxr.bench=true
 * </pre>
 *
 * 1. loads 65,379 subjects / 227,827 studies / 377,110 images ({@link MimicScaleLoader});
 * 2. label-filtered paginated queries over HTTP against the running service (client-side latency);
 * 3. a full release (CSVs, no JPG copies) through POST /releases, and the same release code in a
 *    separate JVM with -Xmx64m (streaming);
 * 4. indexing throughput from Kafka: events produced to the topics, consumed by the service.
 * Figures are printed and written to target/benchmarks/catalog.json.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
@EnabledIfSystemProperty(named = "cxr.bench", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogBenchmark {
    static final Map<String, Object> RESULTS = new LinkedHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource ds;
    @Inject
    CatalogIndexer indexer;
    @Inject
    SplitPolicy splits;
    @Inject
    ReleaseService releases;
    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = org.cxr.testing.auth.TestTokens.token("researcher", "operator");

    @Test
    @Order(1)
    void load() throws Exception {
        RESULTS.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "loadavgBefore", loadavg()));
        CatalogDb.reset(ds);
        long t0 = System.nanoTime();
        new MimicScaleLoader(ds, indexer, splits.assigner()).load();
        RESULTS.put("loadSeconds", round((System.nanoTime() - t0) / 1e9));
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM image")).isEqualTo(MimicScaleLoader.IMAGES);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE'")).isEqualTo(MimicScaleLoader.STUDIES);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM subject")).isEqualTo(MimicScaleLoader.SUBJECTS);
        assertThat(CatalogDb.count(ds, "SELECT count(*) FROM study_label")).isEqualTo(2L * MimicScaleLoader.STUDIES);
    }

    @Test
    @Order(2)
    void queries() throws Exception {
        long t0 = System.nanoTime();
        get("/stats/states");
        RESULTS.put("queryIndexFirstLoadMs", (System.nanoTime() - t0) / 1_000_000);
        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            get("/studies?" + studyQuery(rnd));
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("studies (label-filtered, paginated, 2000 requests)", measure(2000, () -> "/studies?" + studyQuery(rnd)));
        q.put("images (label-filtered, paginated, 1000 requests)", measure(1000, () -> "/images?" + studyQuery(rnd)));
        q.put("stats/labels (one labeler, 200 requests)", measure(200,
                () -> "/stats/labels?labeler=" + (rnd.nextBoolean() ? "chexpert" : "negbio")));
        q.put("studies/{id} (200 requests)", measure(200,
                () -> "/studies/" + MimicScaleLoader.studyId(rnd.nextInt(MimicScaleLoader.STUDIES))));
        RESULTS.put("queries", q);
    }

    /** A label-filtered query: 1-2 labels, sometimes split/view, sometimes a date range and state. */
    static String studyQuery(Random rnd) {
        List<String> p = new ArrayList<>();
        int kind = rnd.nextInt(5);
        int labels = kind == 1 ? 2 : 1;
        for (int i = 0; i < labels; i++) {
            Observation o = Observation.values()[rnd.nextInt(14)];
            String v = o == Observation.NO_FINDING ? "1" : new String[] {"1", "1", "0", "-1"}[rnd.nextInt(4)];
            p.add("label." + (rnd.nextBoolean() ? "chexpert" : "negbio") + "." + o.column().replace(' ', '_') + "=" + v);
        }
        if (kind == 2) {
            p.add("split=train");
            p.add("view=" + new String[] {"PA", "AP", "LATERAL"}[rnd.nextInt(3)]);
        }
        if (kind == 3) {
            int y = 2110 + rnd.nextInt(80);
            p.add("from=" + y + "-01-01");
            p.add("to=" + (y + 10) + "-12-31");
            p.add("state=COMPLETE");
        }
        p.add("page=" + rnd.nextInt(10));
        p.add("size=50");
        return String.join("&", p);
    }

    interface PathSupplier {
        String next();
    }

    private Map<String, Object> measure(int n, PathSupplier paths) throws Exception {
        double[] ms = new double[n];
        long totalMatches = 0;
        for (int i = 0; i < n; i++) {
            String path = paths.next();
            long t = System.nanoTime();
            String body = get(path);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (body.startsWith("{\"page\"")) {
                totalMatches += JSON.readTree(body).get("total").asLong();
            }
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("p50Ms", round(ms[n / 2]));
        m.put("p95Ms", round(ms[(int) Math.ceil(n * 0.95) - 1]));
        m.put("p99Ms", round(ms[(int) Math.ceil(n * 0.99) - 1]));
        m.put("maxMs", round(ms[n - 1]));
        m.put("meanTotal", totalMatches / n);
        System.out.println("[bench] " + m);
        return m;
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    @Order(3)
    void release() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        // through the API: written to the releases bucket (S3), as POST /releases does
        long t0 = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "releases"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(202);
        int id = JSON.readTree(created.body()).get("releaseId").asInt();
        String status;
        do {
            Thread.sleep(100);
            status = JSON.readTree(get("/releases/" + id)).get("status").asText();
        } while ("RUNNING".equals(status));
        double apiSeconds = (System.nanoTime() - t0) / 1e9;
        var rel = JSON.readTree(get("/releases/" + id));
        assertThat(status).isEqualTo("DONE");
        assertThat(rel.get("images").asInt()).isEqualTo(MimicScaleLoader.IMAGES);
        m.put("apiPostToDoneSeconds", round(apiSeconds));
        m.put("images", rel.get("images").asInt());
        m.put("studies", rel.get("studies").asInt());
        Map<String, Long> sizes = new LinkedHashMap<>();
        rel.get("files").forEach(f -> sizes.put(f.get("name").asText(), f.get("bytes").asLong()));
        m.put("fileBytes", sizes);

        // the same code into a local folder, in this JVM
        Path dir = Files.createTempDirectory("cxr-bench-release");
        t0 = System.nanoTime();
        releases.write(ReleaseSelection.full(), new FolderReleaseSink(dir.resolve("in-process")), false, id, null);
        m.put("localFolderSeconds", round((System.nanoTime() - t0) / 1e9));

        // and in a JVM with a 64 MB heap: rows must stream
        Path root = Path.of("").toAbsolutePath();
        String cp = root.resolve("target/classes") + ":" + root.resolve("target/test-classes") + ":"
                + Files.readString(root.resolve("target/classpath.txt")).trim();
        var e = LocalInfraTestResource.endpoints();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-cp", cp, ReleaseMemoryCheck.class.getName(), e.jdbcUrl("catalog"), e.dbUser(),
                e.dbPassword(), dir.resolve("small-heap").toString(), Integer.toString(id))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String line = out.lines().filter(l -> l.startsWith("RELEASE-MEMORY-CHECK")).findFirst().orElseThrow();
        m.put("xmx64mJvm", line.substring("RELEASE-MEMORY-CHECK ".length()));
        for (String f : ReleaseFiles.CSVS) {
            assertThat(Files.readAllBytes(dir.resolve("small-heap").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("in-process").resolve(f)));
        }
        m.put("csvsIdenticalAcrossRuns", true);
        System.out.println("[bench] release " + m);
        RESULTS.put("release", m);
    }

    @Test
    @Order(4)
    void indexingThroughputFromKafka() throws Exception {
        int studies = Integer.getInteger("cxr.bench.index.studies", 20_000);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Random rnd = new Random(3);
        Instant t = TestEvents.T0;
        for (int k = 0; k < studies; k++) {
            String subject = Integer.toString(19_950_000 + k / 3);
            String study = Integer.toString(MimicScaleLoader.studyId(MimicScaleLoader.STUDIES + k));
            int n = 1 + rnd.nextInt(2);
            String text = "IMPRESSION: bench " + k;
            List<String> dicoms = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String dicom = TestEvents.dicom("bench:" + k + ":" + i);
                dicoms.add(dicom);
                add(records, Topics.INSTANCE_RECEIVED, TestEvents.received(subject, study, dicom, t));
            }
            add(records, Topics.REPORT_RECEIVED, TestEvents.report(subject, study, text, 1, t));
            for (int i = 0; i < n; i++) {
                add(records, Topics.INSTANCE_CONVERTED, TestEvents.converted(subject, study, dicoms.get(i),
                        TestEvents.metadata(i == 0 ? "PA" : "LATERAL", "21800506", "080556.875"), t, "convert-bench-1.0"));
            }
            add(records, Topics.REPORT_LABELLED, TestEvents.labelled(subject, study, text, ReportSection.IMPRESSION,
                    "Edema=1,Pleural Effusion=-1", "Edema=1,Pleural Effusion=0", "label-bench-1.0", t));
        }
        int n = records.size();
        long before = indexer.indexedTotal();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", KafkaTestClient.bootstrap());
        cfg.put("linger.ms", 20);
        cfg.put("batch.size", 512 * 1024);
        cfg.put("acks", "1");
        long tProduce = System.nanoTime();
        long producedAt;
        try (var producer = new KafkaProducer<String, String>(cfg, new StringSerializer(), new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>(n);
            for (ProducerRecord<String, String> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (Future<?> f : sent) {
                f.get();
            }
            producedAt = System.nanoTime();
        }
        long tFirst = 0;
        while (indexer.indexedTotal() - before < n) {
            if (tFirst == 0 && indexer.indexedTotal() > before) {
                tFirst = System.nanoTime();
            }
            if (System.nanoTime() - tProduce > Duration.ofMinutes(15).toNanos()) {
                throw new AssertionError("indexed only " + (indexer.indexedTotal() - before) + " of " + n);
            }
            Thread.sleep(5);
        }
        long tLast = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", n);
        m.put("studies", studies);
        m.put("produceSeconds", round((producedAt - tProduce) / 1e9));
        m.put("firstToLastIndexedSeconds", round((tLast - tFirst) / 1e9));
        m.put("eventsPerSecond", Math.round(n / ((tLast - tFirst) / 1e9)));
        m.put("eventsPerSecondIncludingProduce", Math.round(n / ((tLast - tProduce) / 1e9)));
        long complete = CatalogDb.count(ds, "SELECT count(*) FROM study WHERE state = 'COMPLETE' AND subject_id >= 19950000");
        m.put("studiesComplete", complete);
        m.put("catalogStudiesAfter", CatalogDb.count(ds, "SELECT count(*) FROM study"));
        assertThat(complete).isEqualTo(studies);
        System.out.println("[bench] indexing " + m);
        RESULTS.put("indexing", m);
    }

    private static void add(List<ProducerRecord<String, String>> out, String topic, CxrEvent e) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, e.studyId(), EventJson.write(e));
        r.headers().add(EventHeaders.ID, e.eventId().getBytes(StandardCharsets.UTF_8));
        out.add(r);
    }

    @AfterAll
    static void write() throws Exception {
        RESULTS.put("loadavgAfter", loadavg());
        RESULTS.put("date", LocalDate.now().toString());
        Path out = Path.of("target/benchmarks/catalog.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(RESULTS));
        System.out.println("[bench] results in " + out.toAbsolutePath() + "\n" + Files.readString(out));
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
