package org.cxr.generator.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The uploader against a small local HTTP server that records what it is sent. */
class IngestUploaderTest {
    record Request(String method, String path, Map<String, String> query, String contentType, byte[] body,
                   Map<String, String> patient) {
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicBoolean busyOnce = new AtomicBoolean(true);
    private volatile boolean reportFails;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(8);
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> query = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String kv : raw.split("&")) {
                    String[] p = kv.split("=", 2);
                    query.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
                }
            }
            Map<String, String> patient = new LinkedHashMap<>();
            for (String h : List.of("X-Patient-ID", "X-Issuer-Of-Patient-ID")) {
                if (ex.getRequestHeaders().getFirst(h) != null) {
                    patient.put(h, ex.getRequestHeaders().getFirst(h));
                }
            }
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), query,
                    ex.getRequestHeaders().getFirst("Content-Type"), body, patient));
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            Thread.sleep(40); // long enough for concurrent requests to overlap
            if (ex.getRequestMethod().equals("POST") && busyOnce.getAndSet(false)) {
                ex.getResponseHeaders().add("Retry-After", "1");
                reply(ex, 503, "text/plain", "busy");
            } else if (ex.getRequestMethod().equals("POST")) {
                reply(ex, 200, "application/json", "{\"results\":[{\"status\":\"ACCEPTED\",\"reason\":null,"
                        + "\"subjectId\":\"10000001\",\"studyId\":\"50000001\",\"dicomId\":\"" + sha1(body) + "\",\"extra\":1}]}");
            } else if (reportFails) {
                reply(ex, 500, "text/plain", "boom");
            } else {
                reply(ex, 200, "application/json",
                        "{\"status\":\"ACCEPTED\",\"revision\":1,\"subjectId\":\"10000001\",\"studyId\":\"50000001\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sendsTheBearerTokenWithEveryRequestWhenGivenOne() throws Exception {
        GeneratedStudy study = new StudyGenerator(5, GeneratorOptions.defaults().withMaxSize(40, 40)).iterator().next();
        AtomicInteger asked = new AtomicInteger();
        try (IngestUploader uploader = new IngestUploader(base(), 2)
                .withBearerToken(() -> "token-" + asked.incrementAndGet())) {
            uploader.submit(study).join();
        }
        int requestsSent = study.instances().size() + 2; // one instance is refused once (503) and sent again
        assertThat(authorizations).hasSize(requestsSent).allMatch(a -> a.matches("Bearer token-\\d+"));
        assertThat(asked.get()).isEqualTo(study.instances().size() + 1);
    }

    @Test
    void sendsEachInstanceThenTheReportAndReturnsTheAssignedIds() throws Exception {
        List<GeneratedStudy> studies = new StudyGenerator(12, GeneratorOptions.defaults().withMaxSize(40, 40)).studies(4).toList();
        List<IngestUploader.StudyResult> results = new ArrayList<>();
        long start = System.nanoTime();
        try (IngestUploader uploader = new IngestUploader(base(), 2)) {
            var futures = studies.stream().map(uploader::submit).toList();
            for (var f : futures) {
                results.add(f.join());
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).as("the 503's Retry-After: 1 was honoured").isGreaterThanOrEqualTo(1000);
        assertThat(maxInFlight.get()).as("concurrency limit").isLessThanOrEqualTo(2);

        int instances = studies.stream().mapToInt(s -> s.instances().size()).sum();
        List<Request> posts = requests.stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts).hasSize(instances + 1); // one retried after the 503
        for (Request r : posts) {
            assertThat(r.path()).isEqualTo("/studies/instances");
            assertThat(r.contentType()).isEqualTo("application/dicom");
        }
        for (int i = 0; i < studies.size(); i++) {
            GeneratedStudy s = studies.get(i);
            IngestUploader.StudyResult result = results.get(i);
            assertThat(result.study()).isSameAs(s);
            for (int j = 0; j < s.instances().size(); j++) {
                byte[] bytes = s.instances().get(j).bytes();
                assertThat(posts).anyMatch(r -> java.util.Arrays.equals(r.body(), bytes));
                IngestUploader.InstanceResult ir = result.instances().get(j);
                assertThat(ir.status()).isEqualTo("ACCEPTED");
                assertThat(ir.dicomId()).isEqualTo(sha1(bytes)); // answers are matched to their instance
                assertThat(ir.subjectId()).isEqualTo("10000001");
            }
            Request put = requests.stream().filter(r -> r.method().equals("PUT")
                    && r.path().equals("/studies/" + s.studyInstanceUid() + "/report")).findFirst().orElseThrow();
            assertThat(put.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(put.query()).as("no identifier in the URL").isEmpty();
            assertThat(put.patient()).containsEntry("X-Patient-ID", s.patient().patientId())
                    .containsEntry("X-Issuer-Of-Patient-ID", s.patient().issuerOfPatientId());
            assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(s.report());
            assertThat(result.report().status()).isEqualTo("ACCEPTED");
            assertThat(result.report().revision()).isEqualTo(1);
            // the report goes after the study's instances were answered
            int putIndex = requests.indexOf(put);
            for (GeneratedInstance in : s.instances()) {
                byte[] bytes = in.bytes();
                int postIndex = -1;
                for (int k = 0; k < requests.size(); k++) {
                    if (java.util.Arrays.equals(requests.get(k).body(), bytes)) {
                        postIndex = k;
                    }
                }
                assertThat(postIndex).isLessThan(putIndex);
            }
        }
    }

    @Test
    void anUnexpectedAnswerWithoutJsonIsAnError() {
        reportFails = true;
        busyOnce.set(false);
        GeneratedStudy study = new StudyGenerator(13, GeneratorOptions.defaults().withMaxSize(32, 32).withPhi(false))
                .studies(1).findFirst().orElseThrow();
        try (IngestUploader uploader = new IngestUploader(base(), 1, 2, Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> uploader.upload(study))
                    .isInstanceOf(IngestUploader.UploadException.class)
                    .hasMessageContaining("HTTP 500")
                    .satisfies(e -> assertThat(((IngestUploader.UploadException) e).status()).isEqualTo(500));
        }
        // without PHI there is no issuer: the headers leave it out
        Request put = requests.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(put.patient()).containsOnlyKeys("X-Patient-ID").containsEntry("X-Patient-ID", study.subjectId());
    }

    @Test
    void uploadsAStreamWithBoundedStudiesInFlightAndStopsAtTheFirstFailure() throws Exception {
        busyOnce.set(false);
        GeneratorOptions small = GeneratorOptions.defaults().withMaxSize(32, 32);
        List<IngestUploader.StudyResult> results = Collections.synchronizedList(new ArrayList<>());
        try (IngestUploader uploader = new IngestUploader(base(), 2)) {
            assertThat(uploader.uploadAll(new StudyGenerator(14, small).studies(7), results::add)).isEqualTo(7);
        }
        assertThat(results).extracting(r -> r.study().index()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(results).allSatisfy(r -> assertThat(r.report().status()).isEqualTo("ACCEPTED"));
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(2);

        reportFails = true;
        try (IngestUploader uploader = new IngestUploader(base(), 2, 1, Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> uploader.uploadAll(new StudyGenerator(15, small).studies(50), r -> { }))
                    .isInstanceOf(IngestUploader.UploadException.class).hasMessageContaining("HTTP 500");
        }
        long puts = requests.stream().filter(r -> r.method().equals("PUT")).count();
        assertThat(puts).as("stopped soon after the first failure, not after all 50 studies").isLessThan(7 + 10);
    }

    @Test
    void retryAfterAcceptsSecondsAndDatesWithinBounds() {
        ZonedDateTime now = ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        assertThat(IngestUploader.retryAfter("2", now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(IngestUploader.retryAfter(null, now)).isEqualTo(Duration.ofSeconds(1));
        assertThat(IngestUploader.retryAfter("soon", now)).isEqualTo(Duration.ofSeconds(1));
        assertThat(IngestUploader.retryAfter("3600", now)).isEqualTo(Duration.ofSeconds(30));
        String in5s = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(5));
        assertThat(IngestUploader.retryAfter(in5s, now)).isEqualTo(Duration.ofSeconds(5));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.minusSeconds(5));
        assertThat(IngestUploader.retryAfter(past, now)).isEqualTo(Duration.ZERO);
    }
}
