package org.cxr.platform.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import io.minio.Http;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.PutObjectArgs;

/**
 * The S3 server's CPU per upload through {@link ObjectStore} itself (not a test: run by
 * {@code deploy/local/bench/s3-put-cost.sh}, which starts the server and passes its pid). The ways
 * up: a byte array with its SHA-256 (11 MiB, a mean DICOM of the issue-19 tree) as ObjectStore sent
 * it before (signed payload, by the same SDK call) and now, a file with its SHA-256 in one PUT, and
 * the same file as a stream (multipart in 5 MiB parts, what ingest's large-file path did before). CPU is utime+stime from /proc of the server and of this JVM.
 * <p>
 * Usage: {@code S3PutCostBench ENDPOINT ACCESS_KEY SECRET_KEY SERVER_PID PUTS_PER_BATCH [CLIENTS]}
 * (CLIENTS uploads at once, 1 by default; the platform's import has up to 8 in flight).
 */
public final class S3PutCostBench {
    private static final long CLK_TCK_MS = 10; // USER_HZ is 100 on Linux

    public static void main(String[] a) throws Exception {
        long serverPid = Long.parseLong(a[3]);
        int n = Integer.parseInt(a[4]);
        int clients = a.length > 5 ? Integer.parseInt(a[5]) : 1;
        Path dir = Files.createTempDirectory("cxr-s3-put-cost");
        try (ObjectStore store = new ObjectStore(a[0], a[1], a[2]);
                MinioAsyncClient signing = MinioAsyncClient.builder().endpoint(a[0]).credentials(a[1], a[2]).build()) {
            store.ensureBucket("bench");
            byte[] mean = random(11 << 20);
            byte[] large = random(24 << 20); // the 9 files over ingest's 16 MB in-memory limit: 17-40 MB
            Path file = Files.write(dir.resolve("large.dcm"), large);
            String meanSha = ObjectStore.sha256Hex(mean);
            String largeSha = ObjectStore.sha256Hex(large);
            Map<String, Runnable> ways = new java.util.LinkedHashMap<>();
            java.util.concurrent.atomic.AtomicInteger i = new java.util.concurrent.atomic.AtomicInteger();
            ways.put("put(byte[] 11 MiB, sha256) as until 2026-12-07: one PUT, signed payload + x-amz-checksum-sha256",
                    () -> signedPut(signing, "signed-" + i.incrementAndGet(), mean, meanSha));
            ways.put("put(byte[] 11 MiB, sha256): one PUT, UNSIGNED-PAYLOAD + x-amz-checksum-sha256",
                    () -> store.put("bench", "bytes-" + i.incrementAndGet(), mean, meanSha, "application/dicom", Map.of()));
            ways.put("put(Path 24 MiB, sha256): one PUT, UNSIGNED-PAYLOAD + x-amz-checksum-sha256",
                    () -> store.put("bench", "file-" + i.incrementAndGet(), file, largeSha, "application/dicom", Map.of()));
            ways.put("put(InputStream 24 MiB, size): multipart, 5 MiB parts, signed + CRC32 (ingest's large files before)",
                    () -> store.put("bench", "stream-" + i.incrementAndGet(), new ByteArrayInputStream(large), large.length,
                            "application/dicom", Map.of()));
            for (Runnable way : ways.values()) {
                batch(way, Math.max(1, n / 2), clients, serverPid); // warm-up
            }
            for (int round = 1; round <= 2; round++) {
                for (Map.Entry<String, Runnable> way : ways.entrySet()) {
                    long[] ms = batch(way.getValue(), n, clients, serverPid);
                    System.out.printf("round %d, %d at once: ObjectStore.%s: %d ms of S3 server CPU, %d ms of client JVM CPU per PUT%n",
                            round, clients, way.getKey(), ms[0] / n, ms[1] / n);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** The byte-array put as ObjectStore made it before: the SDK signs the checksum as the payload's hash. */
    private static void signedPut(MinioAsyncClient client, String key, byte[] data, String sha256Hex) {
        Http.Headers checksum = ObjectStore.verifiedUnsignedPayload(sha256Hex);
        checksum.remove(Http.Headers.X_AMZ_CONTENT_SHA256);
        try {
            PutObjectArgs args = PutObjectArgs.builder().bucket("bench").object(key).data(data, data.length)
                    .contentType("application/dicom").build();
            client.putObject(new PutObjectAPIArgs(args, data, data.length, args.contentType(), checksum)).join();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Server and client CPU-ms of {@code n} uploads, {@code clients} at once. */
    private static long[] batch(Runnable put, int n, int clients, long serverPid) throws Exception {
        long s0 = cpuMs(serverPid);
        long c0 = cpuMs(ProcessHandle.current().pid());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int k = 0; k < n; k++) {
                done.add(pool.submit(put));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new long[] {cpuMs(serverPid) - s0, cpuMs(ProcessHandle.current().pid()) - c0};
    }

    private static long cpuMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLK_TCK_MS; // utime, stime: fields 14, 15
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
