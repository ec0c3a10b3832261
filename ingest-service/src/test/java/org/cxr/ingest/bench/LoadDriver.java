package org.cxr.ingest.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.cxr.ingest.testing.Api;
import org.cxr.ingest.testing.TestDicoms;

/**
 * N concurrent HTTP clients posting distinct ~1 MB DICOM instances to {@code POST /studies/instances}
 * (application/dicom). Instances differ in SOPInstanceUID and StudyInstanceUID (two per study),
 * patched into one generated template, so generating them costs the driver only a copy. The
 * client is Apache HttpClient 4 (blocking, pooled keep-alive connections, one per client thread):
 * the JDK's asynchronous HttpClient took 13 % of the machine's CPU at 60 uploads/s, CPU the
 * service under test competes for on 2 cores.
 */
public final class LoadDriver {
    /** What a run measured. */
    public record Result(int clients, int instances, double seconds, double perSecond, double megabytesPerSecond,
                         double p50Millis, double p95Millis, double p99Millis, int non200, int notAccepted, String cpu) {
        @Override
        public String toString() {
            return String.format("%d instances of %.2f MB, %d clients: %.1f instances/s (%.1f MB/s), latency p50 %.0f ms,"
                    + " p95 %.0f ms, p99 %.0f ms; non-200: %d, not ACCEPTED: %d; %s", instances,
                    megabytesPerSecond * seconds / instances, clients, perSecond, megabytesPerSecond, p50Millis, p95Millis,
                    p99Millis, non200, notAccepted, cpu);
        }
    }

    private final byte[] template;
    private final int[] sopAt;
    private final int[] studyAt;
    private final String run;

    public LoadDriver(int targetBytes, String patientId) {
        run = String.format("%09d", TestDicoms.runBase());
        TestDicoms.Spec s = new TestDicoms.Spec(patientId, "1.2.826.0.1.3680043.8.498.88." + run + ".000000000",
                "1.2.826.0.1.3680043.8.498.88." + run + ".9", "1.2.826.0.1.3680043.8.498.89." + run + ".000000000", "PA",
                0, 0, 1);
        template = TestDicoms.sized(s, targetBytes);
        sopAt = find(template, s.sopUid()); // in the dataset and in the file meta
        studyAt = find(template, s.studyUid());
    }

    public int size() {
        return template.length;
    }

    /** Instance number {@code i}: unique SOP UID, study {@code i / 2}. */
    public byte[] instance(int i) {
        byte[] b = template.clone();
        patch(b, sopAt, i);
        patch(b, studyAt, i / 2);
        return b;
    }

    public Result run(URI base, int clients, int first, int count) throws InterruptedException {
        // only what an upload needs: no cookie, auth, redirect, compression or retry handling per request
        CloseableHttpClient http = HttpClients.custom().setMaxConnPerRoute(clients).setMaxConnTotal(clients)
                .disableCookieManagement().disableAuthCaching().disableConnectionState().disableContentCompression()
                .disableRedirectHandling().disableAutomaticRetries().build();
        String uri = base.resolve("/studies/instances").toString();
        long[] latency = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non200 = new AtomicInteger();
        AtomicInteger notAccepted = new AtomicInteger();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients,
                r -> new Thread(r, "load-driver-" + threads.incrementAndGet()));
        List<Future<?>> done = new ArrayList<>();
        CpuAccount cpu = CpuAccount.now();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int k; (k = next.getAndIncrement()) < count; ) {
                    byte[] body = instance(first + k);
                    long s = System.nanoTime();
                    HttpPost post = new HttpPost(uri);
                    post.setHeader("Authorization", bearer());
                    post.setEntity(new ByteArrayEntity(body, ContentType.create("application/dicom")));
                    try (CloseableHttpResponse r = http.execute(post)) {
                        String answer = EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8);
                        if (r.getStatusLine().getStatusCode() != 200) {
                            non200.incrementAndGet();
                        } else if (!answer.contains("\"ACCEPTED\"")) {
                            notAccepted.incrementAndGet();
                        }
                    } catch (Exception e) {
                        non200.incrementAndGet();
                    }
                    latency[k] = System.nanoTime() - s;
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String cpuSpent = cpu.since("instance", count); // before the driver's threads end
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        try {
            http.close();
        } catch (java.io.IOException e) {
            // closing idle connections of a finished run
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        return new Result(clients, count, secs, count / secs, count * (double) template.length / secs / 1e6,
                pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), non200.get(), notAccepted.get(), cpuSpent);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static void patch(byte[] b, int[] at, int n) {
        byte[] digits = String.format("%09d", n).getBytes(StandardCharsets.US_ASCII);
        for (int a : at) {
            System.arraycopy(digits, 0, b, a, 9);
        }
    }

    /** Offsets of the last 9 digits of every exact occurrence of the UID. */
    private static int[] find(byte[] hay, String s) {
        byte[] needle = s.getBytes(StandardCharsets.US_ASCII);
        List<Integer> found = new ArrayList<>();
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            int end = i + needle.length;
            if (end < hay.length && (hay[end] == '.' || Character.isDigit(hay[end]))) {
                continue; // a longer UID that starts with this one (e.g. FrameOfReferenceUID = study + ".9")
            }
            found.add(end - 9);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("UID not found in the template");
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private volatile String bearer;
    private volatile long bearerAt;

    /** An uploader's token, signed again every 5 minutes (they last 10): not one RSA signature per request. */
    private String bearer() {
        if (bearer == null || System.nanoTime() - bearerAt > 300_000_000_000L) {
            bearerAt = System.nanoTime();
            bearer = Api.bearer("uploader");
        }
        return bearer;
    }
}
