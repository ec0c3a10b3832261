package org.cxr.generator.upload;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.Patient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Feeds generated studies to the ingest service's REST API: each instance as
 * {@code POST {ingest}/studies/instances} ({@code application/dicom}, one instance per request),
 * then the report as {@code PUT {ingest}/studies/{studyInstanceUid}/report} with the patient in the
 * {@code X-Patient-ID} / {@code X-Issuer-Of-Patient-ID} headers (never in the URL)
 * ({@code text/plain; charset=utf-8}). Returns what the service answered: a receipt per stored object,
 * and the research ids it assigned when the token also holds the researcher role, so a caller can
 * compare them with the generator's answer key.
 * <p>At most {@code concurrency} requests are open at once (one worker thread per request, which
 * also builds the instance bytes). A 503 (or 429) is retried after its Retry-After (seconds or an
 * HTTP date; 1 s when absent, capped at 30 s), as is a connection failure (with backoff), up to
 * {@code maxAttempts} attempts; other statuses are returned or, without a JSON body, thrown.
 */
public final class IngestUploader implements AutoCloseable {
    /** The service's answer for one instance. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstanceResult(String status, String reason, String subjectId, String studyId, String dicomId,
                                 String receipt) {
    }

    /** The service's answer for the report. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReportResult(String status, Integer revision, String subjectId, String studyId, String receipt) {
    }

    /** The answers for a whole study, instances in the study's order. */
    public record StudyResult(GeneratedStudy study, List<InstanceResult> instances, ReportResult report) {
    }

    /** The service answered something the uploader cannot use (an unexpected status without a JSON body). */
    public static final class UploadException extends IOException {
        private final int status;

        UploadException(String message, int status) {
            super(message);
            this.status = status;
        }

        /** HTTP status, or -1 when no response was received. */
        public int status() {
            return status;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record InstanceResponse(List<InstanceResult> results) {
    }

    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final int concurrency;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ExecutorService workers;
    private volatile java.util.function.Supplier<String> bearerToken;

    /**
     * @param ingest      base URL of the ingest service, e.g. {@code http://localhost:8081}
     * @param concurrency maximum number of requests in flight
     * @param maxAttempts attempts per request (1 = no retry)
     */
    public IngestUploader(URI ingest, int concurrency, int maxAttempts, Duration requestTimeout) {
        if (concurrency < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("concurrency and maxAttempts must be >= 1");
        }
        String s = ingest.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "ingest-uploader");
            t.setDaemon(true);
            return t;
        });
        // The client keeps its own executor: send() blocks a worker while the client completes the exchange on another thread.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public IngestUploader(URI ingest, int concurrency) {
        this(ingest, concurrency, 8, Duration.ofMinutes(2));
    }

    /**
     * Sends {@code Authorization: Bearer <token>} with every request (a token with the uploader
     * role; asked for each request, so that a long feed can renew it). Returns this uploader.
     */
    public IngestUploader withBearerToken(java.util.function.Supplier<String> token) {
        this.bearerToken = token;
        return this;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String token = bearerToken == null ? null : bearerToken.get();
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    /** Uploads a study's instances (concurrently), then its report once they are answered. */
    public CompletableFuture<StudyResult> submit(GeneratedStudy study) {
        List<CompletableFuture<InstanceResult>> instances = new ArrayList<>();
        for (GeneratedInstance in : study.instances()) {
            instances.add(CompletableFuture.supplyAsync(() -> unchecked(() -> postInstance(in)), workers));
        }
        return CompletableFuture.allOf(instances.toArray(CompletableFuture[]::new))
                .thenApplyAsync(done -> unchecked(() -> new StudyResult(study,
                        instances.stream().map(CompletableFuture::join).toList(), putReport(study))), workers);
    }

    /**
     * Uploads a stream of studies with at most {@code 2 × concurrency} studies in flight (so a
     * generator stream of any length runs in constant memory), handing each result to
     * {@code onResult} as it completes (from a worker thread). Returns the number of studies
     * uploaded; the first failure stops the upload and is thrown.
     */
    public long uploadAll(Stream<GeneratedStudy> studies, Consumer<StudyResult> onResult) throws IOException {
        Semaphore slots = new Semaphore(2 * concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long submitted = 0;
        try {
            for (Iterator<GeneratedStudy> it = studies.iterator(); it.hasNext() && failure.get() == null; submitted++) {
                slots.acquire();
                submit(it.next()).whenComplete((result, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        onResult.accept(result);
                    }
                    slots.release();
                });
            }
            slots.acquire(2 * concurrency); // wait for the last ones
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Throwable t = failure.get();
        if (t != null) {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            throw cause instanceof UncheckedUpload u ? u.cause : new IOException(cause.getMessage(), cause);
        }
        return submitted;
    }

    /** Uploads a study and waits for the answers. */
    public StudyResult upload(GeneratedStudy study) throws IOException {
        try {
            return submit(study).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedUpload u) {
                throw u.cause;
            }
            throw e;
        }
    }

    InstanceResult postInstance(GeneratedInstance in) throws IOException {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve("studies/instances")))
                .timeout(requestTimeout)
                .header("Content-Type", "application/dicom")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(in.bytes()))
                .build();
        HttpResponse<String> response = send(request);
        InstanceResponse body = parse(response, InstanceResponse.class);
        if (body.results() == null || body.results().size() != 1) {
            throw new UploadException("expected one result for instance " + in.sopInstanceUid() + ", got: "
                    + response.body(), response.statusCode());
        }
        return body.results().get(0);
    }

    ReportResult putReport(GeneratedStudy study) throws IOException {
        Patient p = study.patient();
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(base.resolve("studies/"
                + encode(study.studyInstanceUid()) + "/report"))).header("X-Patient-ID", p.patientId());
        if (p.issuerOfPatientId() != null) {
            builder.header("X-Issuer-Of-Patient-ID", p.issuerOfPatientId());
        }
        HttpRequest request = builder
                .timeout(requestTimeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(study.reportBytes()))
                .build();
        return parse(send(request), ReportResult.class);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new UploadException(request.method() + " " + request.uri() + " failed after " + attempt
                            + " attempts: " + e.getMessage(), -1);
                }
                sleep(Duration.ofMillis(Math.min(10_000, 200L << Math.min(attempt, 6))));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int status = response.statusCode();
            if ((status == 503 || status == 429) && attempt < maxAttempts) {
                sleep(retryAfter(response.headers().firstValue("Retry-After").orElse(null), ZonedDateTime.now()));
                continue;
            }
            return response;
        }
    }

    /** Retry-After as delta-seconds or an HTTP date; 1 s when absent or unreadable; at most 30 s. */
    static Duration retryAfter(String value, ZonedDateTime now) {
        String v = value == null ? "" : value.trim();
        Duration d = Duration.ofSeconds(1);
        if (v.matches("\\d{1,9}")) {
            d = Duration.ofSeconds(Long.parseLong(v));
        } else if (!v.isEmpty()) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                // unreadable: keep the default
            }
        }
        return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    private static <T> T parse(HttpResponse<String> response, Class<T> type) throws UploadException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.contains("json")) {
            try {
                return JSON.readValue(response.body(), type);
            } catch (IOException e) {
                throw new UploadException("unreadable JSON from " + response.request().uri() + " (HTTP "
                        + response.statusCode() + "): " + e.getMessage(), response.statusCode());
            }
        }
        throw new UploadException(response.request().method() + " " + response.request().uri() + " answered HTTP "
                + response.statusCode() + " without JSON: " + abbreviate(response.body()), response.statusCode());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Carries an IOException through CompletableFuture, unwrapped again by {@link #upload}. */
    private static final class UncheckedUpload extends RuntimeException {
        final IOException cause;

        UncheckedUpload(IOException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    private static <T> T unchecked(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new UncheckedUpload(e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
