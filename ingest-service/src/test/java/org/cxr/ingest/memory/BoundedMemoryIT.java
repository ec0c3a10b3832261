package org.cxr.ingest.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.events.Buckets;
import org.cxr.events.Topics;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.InfraProcess;
import org.cxr.local.infra.LocalClasspath;
import org.cxr.local.launcher.ServiceProcess;
import org.cxr.local.launcher.ServiceSpec;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.security.Jwt;
import org.cxr.testing.TopicTap;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 14 item 6, as written: the packaged ingest ({@code target/quarkus-app/quarkus-run.jar}, prod
 * profile) in a child JVM started as the launcher starts it ({@code -Xmx512m
 * -XX:+ExitOnOutOfMemoryError}), against the real test servers, receives 16 concurrent uploads of
 * 200 MB each plus a deflate bomb (1 GiB of zeros deflated), all streamed by this JVM from generators
 * (none is ever held here). Asserted: the child is the same live process afterwards, no
 * OutOfMemoryError in its output, still ready; every request got a clean answer (ACCEPTED with a
 * receipt, 503 + Retry-After, or REJECTED TOO_LARGE; no reset, no 500); every stored object is whole
 * (the raw bucket's object has the size and SHA-256 the instance row records, and its pixel data is
 * byte for byte what was sent); nothing of a refused upload is left in the raw bucket, the database,
 * the instance-received topic or the service's temporary directory.
 */
class BoundedMemoryIT {
    static final int UPLOADS = 16;
    static final int SIDE = 10_000; // 16-bit square: 200,000,000 bytes of pixel data
    static final long PIXEL_BYTES = (long) SIDE * SIDE * 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(String what, int status, String retryAfter, JsonNode body, Throwable failure) {
        JsonNode result() {
            return body == null ? null : body.path("results").path(0);
        }

        @Override
        public String toString() {
            return what + ": " + (failure != null ? failure : status + " " + body);
        }
    }

    @Test
    void sixteenLargeUploadsAndADeflateBombAgainstTheServiceAt512MbAreStoredOrRefusedCleanly() throws Exception {
        Path repo = LocalClasspath.repoRoot();
        ServiceSpec ingest = ServiceSpec.ALL.stream().filter(s -> s.name().equals("ingest")).findFirst().orElseThrow();
        assertThat(ingest.maxHeap()).isEqualTo("512m");
        Path work = Files.createTempDirectory("cxr-memory-");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        try (InfraProcess infra = InfraProcess.startTemporary();
             ObjectStore store = store(infra.endpoints())) {
            Endpoints e = infra.endpoints();
            // what the deployment creates before ingest starts (its MinIO policy lets it check, not create)
            store.ensureBucket(Buckets.RAW);
            store.ensureBucket(Buckets.REPORTS);
            TopicTap<String> events = TopicTap.start(e.kafkaBootstrap(), "memory-it", List.of(Topics.INSTANCE_RECEIVED),
                    (topic, key, value, headers) -> value);
            Map<String, String> env = new HashMap<>(e.environment("ingest"));
            env.put("QUARKUS_LOG_CONSOLE_JSON", "false");
            env.put("QUARKUS_OIDC_PUBLIC_KEY", TestTokens.PUBLIC_KEY);
            env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.LOCAL_ISSUER);
            env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Jwt.LOCAL_AUDIENCE);
            env.put("CXR_INGEST_ID_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
            // its spool files in a folder of its own, to find any left behind
            env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
            try (ServiceProcess service = ServiceProcess.start(ingest, repo, FreePorts.pick(0), env, work)) {
                service.awaitReady(Duration.ofMinutes(3));
                long pid = service.pid();
                assertThat(ProcessHandle.of(pid).orElseThrow().info().arguments().map(List::of).orElse(List.of()))
                        .as("started as the launcher starts it").contains("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

                long t0 = System.nanoTime();
                // as uploaders send (curl -T, the importer): HTTP/1.1, no h2c upgrade
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                long run = TestDicoms.runBase();
                List<CompletableFuture<Answer>> uploads = new ArrayList<>();
                for (int i = 0; i < UPLOADS; i++) {
                    byte[] header = header(TestDicoms.spec("MRN-MEM-" + run, run, i + 1));
                    uploads.add(send(http, "upload " + (i + 1), service.url(), HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                                    new ByteArrayInputStream(header), new Pattern(PIXEL_BYTES))),
                            header.length + PIXEL_BYTES)));
                }
                byte[] bombHead = deflateBombHead(run);
                Answer bomb = send(http, "deflate bomb", service.url(), bomb(bombHead)).join();
                List<Answer> answers = uploads.stream().map(CompletableFuture::join).toList();
                double seconds = (System.nanoTime() - t0) / 1e9;
                answers.forEach(a -> System.out.println("memory test: " + a));
                System.out.println("memory test: " + bomb);

                // the same process, alive, and it never ran out of memory
                assertThat(outOfMemory(work.resolve("ingest.log"))).as("the service ran out of memory").isEmpty();
                assertThat(service.alive()).isTrue();
                assertThat(service.pid()).isEqualTo(pid);
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

                List<Answer> stored = new ArrayList<>();
                int busy = 0;
                for (Answer a : answers) {
                    assertThat(a.failure()).as(a.toString()).isNull();
                    if (a.status() == 200) {
                        assertThat(a.result().path("status").asText()).as(a.toString()).isEqualTo("ACCEPTED");
                        assertThat(a.result().path("receipt").asText()).as(a.toString()).isNotBlank();
                        stored.add(a);
                    } else {
                        assertBusy(a);
                        busy++;
                    }
                }
                assertThat(stored).as("stored (%d refused 503)", busy).isNotEmpty();
                assertThat(bomb.failure()).as(bomb.toString()).isNull();
                if (bomb.status() == 503) { // no room while the large uploads ran: clean too; sent again now there is
                    assertBusy(bomb);
                    bomb = send(http, "deflate bomb again", service.url(), bomb(bombHead)).join();
                }
                assertThat(bomb.status()).as(bomb.toString()).isEqualTo(200);
                assertThat(bomb.result().path("status").asText()).as(bomb.toString()).isEqualTo("REJECTED");
                assertThat(bomb.result().path("reason").asText()).as(bomb.toString()).isEqualTo("TOO_LARGE");

                assertThat(service.alive()).isTrue();
                assertThat(http.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                assertThat(outOfMemory(work.resolve("ingest.log"))).isEmpty();
                long peakRss = peakRssKb(pid);

                // every stored instance whole: object size and digest as recorded, its pixel data as sent
                String pixelDigest = sha256(new Pattern(PIXEL_BYTES), Long.MAX_VALUE)[0];
                Set<String> objectKeys = new HashSet<>();
                try (Connection db = DriverManager.getConnection(e.jdbcUrl("ingest"), e.dbUser(), e.dbPassword())) {
                    for (Answer a : stored) {
                        String receipt = a.result().path("receipt").asText();
                        Map<String, Object> row = row(db, "SELECT i.sha256, i.size_bytes, i.object_key FROM receipt r"
                                + " JOIN instance i ON i.dicom_id = r.dicom_id WHERE r.receipt = ?", receipt);
                        assertThat(row).as("instance of receipt " + receipt).isNotEmpty();
                        String key = (String) row.get("object_key");
                        long size = (Long) row.get("size_bytes");
                        assertThat(size).isGreaterThan(PIXEL_BYTES);
                        assertThat(store.stat(Buckets.RAW, key).orElseThrow().size()).isEqualTo(size);
                        String[] digests;
                        try (InputStream in = store.open(Buckets.RAW, key)) {
                            digests = sha256(in, size - PIXEL_BYTES);
                        }
                        assertThat(digests[0]).as("the object's SHA-256").isEqualTo(((String) row.get("sha256")).trim());
                        assertThat(digests[1]).as("its pixel data, byte for byte what was sent").isEqualTo(pixelDigest);
                        objectKeys.add(key);
                    }
                    // nothing of a refused upload or of the bomb recorded, stored or announced
                    assertThat(count(db, "SELECT count(*) FROM instance_id")).isEqualTo(stored.size());
                    assertThat(count(db, "SELECT count(*) FROM instance")).isEqualTo(stored.size());
                    assertThat(count(db, "SELECT count(*) FROM receipt")).isEqualTo(stored.size());
                    assertThat(count(db, "SELECT count(*) FROM instance_conflict")).isZero();
                    assertThat(count(db, "SELECT count(*) FROM study")).isEqualTo(1);
                }
                assertThat(new HashSet<>(store.listKeysToList(Buckets.RAW, ""))).isEqualTo(objectKeys);
                assertThat(events.await(v -> true, stored.size(), Duration.ofSeconds(2))).hasSize(stored.size());
                try (Stream<Path> left = Files.walk(tmp)) {
                    assertThat(left.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("cxr-") || n.startsWith(".deid-")).toList())
                            .as("spool files left in the service's temporary directory").isEmpty();
                }
                System.out.printf("memory test: %d x %d MB + a deflate bomb against the packaged ingest at -Xmx512m in"
                        + " %.1f s: %d stored, %d refused 503 + Retry-After, bomb REJECTED TOO_LARGE; child peak RSS %d MB%n",
                        UPLOADS, PIXEL_BYTES / 1_000_000, seconds, stored.size(), busy, peakRss / 1024);
            }
        } finally {
            // the service's log stays for a failure's diagnosis
            Path log = work.resolve("ingest.log");
            if (Files.exists(log)) {
                Files.copy(log, Path.of("target", "bounded-memory-ingest.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            InfraProcess.deleteTree(work);
        }
    }

    /** The lines of the service's output that say it ran out of memory. */
    private static List<String> outOfMemory(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains("OutOfMemoryError")).toList();
    }

    private static void assertBusy(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(503);
        assertThat(a.retryAfter()).as(a.toString()).isNotNull();
        assertThat(a.body().path("message").asText()).as(a.toString()).isNotBlank();
    }

    private static CompletableFuture<Answer> send(HttpClient http, String what, String base,
            HttpRequest.BodyPublisher body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/studies/instances"))
                .header("Content-Type", "application/dicom")
                .header("Authorization", "Bearer " + TestTokens.token("uploader"))
                .timeout(Duration.ofMinutes(3)).POST(body).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, failure) -> {
            if (failure != null) {
                return new Answer(what, -1, null, null, failure instanceof CompletionException c ? c.getCause() : failure);
            }
            try {
                return new Answer(what, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                        JSON.readTree(r.body()), null);
            } catch (IOException e) {
                return new Answer(what, r.statusCode(), null, null, new IOException("not JSON: " + r.body(), e));
            }
        });
    }

    /** The bomb's body, deflated as it is sent (no length: the service grows its reservation as it reads). */
    private static HttpRequest.BodyPublisher bomb(byte[] head) {
        int meta = metaEnd(head);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                new ByteArrayInputStream(head, 0, meta),
                new DeflaterInputStream(new SequenceInputStream(new ByteArrayInputStream(head, meta, head.length - meta),
                        new Zeros(1L << 30)), new Deflater(Deflater.BEST_SPEED, true), 1 << 16)));
    }

    private static ObjectStore store(Endpoints e) {
        return new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
    }

    /** Everything of an instance before its pixel data, then the Pixel Data element's header (OW, explicit VR LE). */
    static byte[] header(TestDicoms.Spec spec) throws IOException {
        Dataset ds = TestDicoms.dataset(spec);
        ds.remove(Tag.PixelData);
        ds.putInt(Tag.Rows, VR.US, SIDE);
        ds.putInt(Tag.Columns, VR.US, SIDE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        out.write(pixelDataHeader("OW", PIXEL_BYTES));
        return out.toByteArray();
    }

    private static byte[] pixelDataHeader(String vr, long length) {
        ByteBuffer px = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        px.putShort((short) 0x7FE0).putShort((short) 0x0010).put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0)
                .putInt((int) length);
        return px.array();
    }

    /**
     * A deflated-syntax instance before its deflation: the file meta (sent as is), then the dataset's
     * elements up to a Pixel Data header that announces 1 GiB (sent deflated, followed by 1 GiB of zeros).
     */
    static byte[] deflateBombHead(long run) throws IOException {
        Dataset ds = TestDicoms.dataset(TestDicoms.spec("MRN-BOMB-" + run, run + 1, 1));
        ds.remove(Tag.PixelData);
        byte[] meta = DicomWriter.toBytes(new Dataset(), "1.2.840.10008.1.2.1.99");
        byte[] explicit = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        int metaEnd = metaEnd(meta);
        int dsStart = metaEnd(explicit);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(meta, 0, metaEnd);
        out.write(explicit, dsStart, explicit.length - dsStart);
        out.write(pixelDataHeader("OB", 1L << 30));
        return out.toByteArray();
    }

    /** Where a Part 10 file's dataset starts: after the preamble, DICM and the meta group its group length gives. */
    private static int metaEnd(byte[] part10) {
        return 132 + 12 + ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** SHA-256 of the whole stream and of what follows its first {@code tailFrom} bytes (hex). */
    static String[] sha256(InputStream in, long tailFrom) throws Exception {
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        MessageDigest tail = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        for (int n; (n = in.read(buf)) > 0; pos += n) {
            all.update(buf, 0, n);
            long skip = Math.max(0, Math.min(n, tailFrom - pos));
            if (skip < n) {
                tail.update(buf, (int) skip, n - (int) skip);
            }
        }
        return new String[] {HexFormat.of().formatHex(all.digest()), HexFormat.of().formatHex(tail.digest())};
    }

    private static Map<String, Object> row(Connection db, String sql, Object arg) throws SQLException {
        try (var st = db.prepareStatement(sql)) {
            st.setObject(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                }
                return row;
            }
        }
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (var st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The child's peak resident set (VmHWM, kB), 0 where /proc does not say. */
    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return 0;
    }

    /** Pixel bytes produced on demand (a 200 MB upload never exists in this JVM): byte i is (length - 1 - i) & 0x0F. */
    static final class Pattern extends InputStream {
        /** 15, 14, ..., 0 repeated: any run of the pattern is a slice of it. */
        private static final byte[] DESCENDING = new byte[(1 << 16) + 16];

        static {
            for (int i = 0; i < DESCENDING.length; i++) {
                DESCENDING[i] = (byte) (15 - (i & 0x0F));
            }
        }

        private long left;

        Pattern(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? (int) (left & 0x0F) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), 1 << 16);
            System.arraycopy(DESCENDING, (int) (15 - ((left - 1) & 0x0F)), b, off, n);
            left -= n;
            return n;
        }
    }

    /** {@code length} zero bytes, produced on demand. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
