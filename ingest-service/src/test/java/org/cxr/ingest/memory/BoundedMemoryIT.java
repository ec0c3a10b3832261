package org.cxr.ingest.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.events.Buckets;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.infra.Endpoints;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.testing.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 *
 * <p>Then the answers made before any of our resources reads a body, which anyone on the network can
 * get: 401 without a token or with a refused one (quarkus-oidc), 403, 404, 413 (Vert.x's body limit),
 * 400 (a pre-matching filter), against 200 MB bodies, partly from raw-socket clients that write all of
 * theirs whatever the answer. Same process, no OutOfMemoryError, the expected status, nothing left.
 * (With those clients sending as an uploader into 503s and {@code UnreadBody} switched off, the child
 * runs out of memory within seconds: they do find queued bodies.)
 */
class BoundedMemoryIT {
    static final int UPLOADS = 16;
    static final int SIDE = 10_000; // 16-bit square: 200,000,000 bytes of pixel data
    static final long PIXEL_BYTES = (long) SIDE * SIDE * 2;
    /** Raw-socket clients that write their whole body whatever the answer (an attacker's, not a polite one). */
    static final int STUBBORN = 4;
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

    private static PackagedIngest ingest;

    @BeforeAll
    static void startTheService() throws IOException {
        ingest = PackagedIngest.start();
    }

    @AfterAll
    static void stopIt() throws IOException {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void sixteenLargeUploadsAndADeflateBombAgainstTheServiceAt512MbAreStoredOrRefusedCleanly() throws Exception {
        Endpoints e = ingest.endpoints;
        ObjectStore store = ingest.store;
        HttpClient http = ingest.http;
        Footprint before = footprint();
        long t0 = System.nanoTime();
        long run = TestDicoms.runBase();
        String token = TestTokens.token("uploader");
        List<CompletableFuture<Answer>> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            uploads.add(send("upload " + (i + 1), token, largeUpload(TestDicoms.spec("MRN-MEM-" + run, run, i + 1))));
        }
        byte[] bombHead = deflateBombHead(run);
        Answer bomb = send("deflate bomb", token, bomb(bombHead)).join();
        List<Answer> answers = uploads.stream().map(CompletableFuture::join).toList();
        double seconds = (System.nanoTime() - t0) / 1e9;
        answers.forEach(a -> System.out.println("memory test: " + a));
        System.out.println("memory test: " + bomb);

        ingest.assertSameLiveProcessThatNeverRanOutOfMemory();

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
            bomb = send("deflate bomb again", token, bomb(bombHead)).join();
        }
        assertThat(bomb.status()).as(bomb.toString()).isEqualTo(200);
        assertThat(bomb.result().path("status").asText()).as(bomb.toString()).isEqualTo("REJECTED");
        assertThat(bomb.result().path("reason").asText()).as(bomb.toString()).isEqualTo("TOO_LARGE");

        assertThat(http.send(HttpRequest.newBuilder(URI.create(ingest.service.managementUrl() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        ingest.assertSameLiveProcessThatNeverRanOutOfMemory();
        long peakRss = peakRssKb(ingest.pid);

        // every stored instance whole: object size and digest as recorded, its pixel data as sent
        String pixelDigest = sha256(new Pattern(PIXEL_BYTES), Long.MAX_VALUE)[0];
        Set<String> objectKeys = new HashSet<>(before.objectKeys());
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
        }
        // nothing of a refused upload or of the bomb recorded, stored, announced or left spooled
        ingest.received.await(v -> true, before.announced() + stored.size(), Duration.ofSeconds(2));
        Footprint after = footprint();
        assertThat(after.rows()).isEqualTo(Map.of("instance_id", before.count("instance_id") + stored.size(),
                "instance", before.count("instance") + stored.size(), "receipt", before.count("receipt") + stored.size(),
                "instance_conflict", 0L, "study", before.count("study") + 1));
        assertThat(after.objectKeys()).isEqualTo(objectKeys);
        assertThat(after.announced()).isEqualTo(before.announced() + stored.size());
        assertThat(after.spoolFiles()).as("spool files left in the service's temporary directory").isEmpty();
        System.out.printf("memory test: %d x %d MB + a deflate bomb against the packaged ingest at -Xmx512m in"
                + " %.1f s: %d stored, %d refused 503 + Retry-After, bomb REJECTED TOO_LARGE; child peak RSS %d MB%n",
                UPLOADS, PIXEL_BYTES / 1_000_000, seconds, stored.size(), busy, peakRss / 1024);
    }

    /**
     * Refused before any of our code runs (quarkus-oidc's 401, on the public port, to anyone on the
     * network): 16 concurrent 200 MB uploads without a token, and one with each kind of token the
     * service refuses (expired, forged, wrong issuer, wrong audience, not a token). Asserted: every one
     * answered 401 (no reset, no hang), the child the same live process with no OutOfMemoryError,
     * nothing recorded, stored, announced or spooled.
     */
    @Test
    void largeUploadsWithoutAValidTokenAreRefused401WithoutQueueingTheirBodies() throws Exception {
        Footprint before = footprint();
        long run = TestDicoms.runBase();
        long t0 = System.nanoTime();
        List<CompletableFuture<Answer>> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            uploads.add(send("no token " + (i + 1), null, largeUpload(TestDicoms.spec("MRN-ANON-" + run, run, i + 1))));
        }
        int n = UPLOADS;
        for (Map.Entry<String, String> refused : TestTokens.refused("uploader").entrySet()) {
            uploads.add(send(refused.getKey() + " token", refused.getValue(),
                    largeUpload(TestDicoms.spec("MRN-ANON-" + run, run, ++n))));
        }
        ExecutorService threads = Executors.newCachedThreadPool();
        for (int i = 0; i < STUBBORN; i++) {
            uploads.add(sendRegardless("no token, writing on regardless " + (i + 1), "/studies/instances",
                    "Content-Type: application/dicom", header(TestDicoms.spec("MRN-ANON-" + run, run, ++n)), 0, threads));
        }
        List<Answer> answers = uploads.stream().map(CompletableFuture::join).toList();
        threads.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        answers.forEach(a -> System.out.println("memory test: " + a));

        ingest.assertSameLiveProcessThatNeverRanOutOfMemory();
        for (Answer a : answers) {
            assertThat(a.failure()).as(a.toString()).isNull();
            assertThat(a.status()).as(a.toString()).isEqualTo(401);
        }
        ingest.received.await(v -> true, before.announced() + 1, Duration.ZERO, Duration.ofSeconds(2));
        assertThat(footprint()).isEqualTo(before);
        System.out.printf("memory test: %d x %d MB without a valid token against the packaged ingest at -Xmx512m:"
                + " all 401 in %.1f s%n", answers.size(), PIXEL_BYTES / 1_000_000, seconds);
    }

    /**
     * The other answers made before any of our resources reads the body, to clients that write their
     * whole 200 MB regardless (two each, at once): 403 for a token without the uploader role (the
     * security layer), 404 for an unknown path, 413 for a body announced beyond
     * {@code quarkus.http.limits.max-body-size} (Vert.x), 400 for a multipart body without a boundary
     * (a pre-matching filter). Asserted as for the 401s.
     */
    @Test
    void largeBodiesRefusedBeforeOurResourcesReadThemAreNotQueued() throws Exception {
        Footprint before = footprint();
        long run = TestDicoms.runBase();
        String uploader = "Authorization: Bearer " + TestTokens.token("uploader");
        record Refusal(String what, int status, String path, String headers, long declaredExtra) {
        }
        List<Refusal> refusals = List.of(
                new Refusal("researcher token", 403, "/studies/instances",
                        "Authorization: Bearer " + TestTokens.token("researcher") + "\r\nContent-Type: application/dicom", 0),
                new Refusal("unknown path", 404, "/nowhere", uploader + "\r\nContent-Type: application/dicom", 0),
                new Refusal("announced 2 GB", 413, "/studies/instances", uploader + "\r\nContent-Type: application/dicom",
                        2_000_000_000L - PIXEL_BYTES),
                new Refusal("multipart without a boundary", 400, "/dicomweb/studies", uploader
                        + "\r\nContent-Type: multipart/related; type=\"application/dicom\"", 0));
        ExecutorService threads = Executors.newCachedThreadPool();
        Map<CompletableFuture<Answer>, Integer> sent = new LinkedHashMap<>();
        int n = 0;
        for (Refusal r : refusals) {
            for (int i = 1; i <= 2; i++) {
                sent.put(sendRegardless(r.what() + " " + i, r.path(), r.headers(),
                        header(TestDicoms.spec("MRN-REFUSED-" + run, run, ++n)), r.declaredExtra(), threads), r.status());
            }
        }
        sent.keySet().forEach(CompletableFuture::join);
        threads.shutdown();
        sent.keySet().forEach(a -> System.out.println("memory test: " + a.join()));

        ingest.assertSameLiveProcessThatNeverRanOutOfMemory();
        sent.forEach((answer, status) -> {
            assertThat(answer.join().failure()).as(answer.join().toString()).isNull();
            assertThat(answer.join().status()).as(answer.join().toString()).isEqualTo(status);
        });
        ingest.received.await(v -> true, before.announced() + 1, Duration.ZERO, Duration.ofSeconds(2));
        assertThat(footprint()).isEqualTo(before);
    }

    /** What the service has recorded, stored, announced and left spooled. */
    record Footprint(Map<String, Long> rows, Set<String> objectKeys, int announced, List<String> spoolFiles) {
        long count(String table) {
            return rows.get(table);
        }
    }

    private static Footprint footprint() throws Exception {
        Endpoints e = ingest.endpoints;
        Map<String, Long> rows = new HashMap<>();
        try (Connection db = DriverManager.getConnection(e.jdbcUrl("ingest"), e.dbUser(), e.dbPassword())) {
            for (String table : List.of("instance_id", "instance", "receipt", "instance_conflict", "study")) {
                rows.put(table, count(db, "SELECT count(*) FROM " + table));
            }
        }
        List<String> spooled;
        try (Stream<Path> left = Files.walk(ingest.tmp)) {
            spooled = left.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith("cxr-") || f.startsWith(".deid-")).toList();
        }
        return new Footprint(rows, new HashSet<>(ingest.store.listKeysToList(Buckets.RAW, "")),
                ingest.received.matching(v -> true).size(), spooled);
    }

    /**
     * Sends an instance over a plain socket with these header lines (CRLF between them), announcing
     * {@code declaredExtra} bytes more than it has, and writes all of its 200 MB whatever comes back, until the server closes the connection or stops reading (no progress for 3 s after its
     * answer: then this client gives up). The answer's status line is read as it comes.
     */
    private static CompletableFuture<Answer> sendRegardless(String what, String path, String headers, byte[] header,
            long declaredExtra, ExecutorService threads) {
        return CompletableFuture.supplyAsync(() -> {
            URI base = URI.create(ingest.service.url());
            AtomicLong sent = new AtomicLong();
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                CompletableFuture<String> writing = CompletableFuture.supplyAsync(() -> {
                    try {
                        out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n" + headers
                                + "\r\nContent-Length: " + (header.length + PIXEL_BYTES + declaredExtra)
                                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(header);
                        byte[] buf = new byte[1 << 16];
                        try (InputStream body = new Pattern(PIXEL_BYTES)) {
                            for (int n; (n = body.read(buf)) > 0; sent.addAndGet(n)) {
                                out.write(buf, 0, n);
                            }
                        }
                        return "wrote it all";
                    } catch (IOException e) {
                        return "the server closed the connection (" + e.getMessage() + ")";
                    }
                }, threads);
                ByteArrayOutputStream statusLine = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                for (int b; (b = in.read()) != -1 && b != '\n';) {
                    statusLine.write(b);
                }
                String[] status = statusLine.toString(StandardCharsets.US_ASCII).split(" ");
                long seen = -1;
                while (!writing.isDone() && sent.get() != seen) {
                    seen = sent.get();
                    Thread.sleep(3000);
                }
                String outcome = writing.isDone() ? writing.join() : "the server stopped reading";
                return new Answer(what + " (" + outcome + " after " + sent.get() / 1_000_000 + " MB)",
                        status.length > 1 ? Integer.parseInt(status[1]) : -1, null, null, null);
            } catch (IOException | InterruptedException | RuntimeException e) {
                return new Answer(what, -1, null, null, e);
            }
        }, threads);
    }

    /** An instance of 200 MB of pixel data, streamed from a generator (it never exists in this JVM). */
    private static HttpRequest.BodyPublisher largeUpload(TestDicoms.Spec spec) throws IOException {
        byte[] header = header(spec);
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                new ByteArrayInputStream(header), new Pattern(PIXEL_BYTES))), header.length + PIXEL_BYTES);
    }

    private static void assertBusy(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(503);
        assertThat(a.retryAfter()).as(a.toString()).isNotNull();
        assertThat(a.body().path("message").asText()).as(a.toString()).isNotBlank();
    }

    /** Sends an instance with this bearer token (none if null). */
    private static CompletableFuture<Answer> send(String what, String token, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(ingest.service.url() + "/studies/instances"))
                .header("Content-Type", "application/dicom")
                .timeout(Duration.ofMinutes(3)).POST(body);
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return ingest.http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).handle((r, failure) -> {
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
