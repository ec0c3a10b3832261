package org.cxr.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.InfraProcess;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** The object store adapter against a real S3 API server. */
class ObjectStoreTest {
    static ObjectStore store;

    @BeforeAll
    static void start() {
        Endpoints e = InfraProcess.shared().endpoints();
        store = new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void putStatGetListDelete() {
        store.ensureBucket("cxr-jpg");
        store.ensureBucket("cxr-jpg"); // idempotent
        byte[] jpg = "fake-jpg-bytes".getBytes(StandardCharsets.UTF_8);
        String key = "files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg";
        store.put("cxr-jpg", key, jpg, "image/jpeg", Map.of("source-sha256", "abc"));
        var info = store.stat("cxr-jpg", key).orElseThrow();
        assertThat(info.size()).isEqualTo(jpg.length);
        assertThat(info.userMetadata()).containsEntry("source-sha256", "abc");
        assertThat(store.get("cxr-jpg", key)).isEqualTo(jpg);
        assertThat(store.listKeysToList("cxr-jpg", "files/p10/")).containsExactly(key);

        byte[] big = new byte[3 * 1024 * 1024];
        store.put("cxr-jpg", "big", new ByteArrayInputStream(big), -1, "application/octet-stream", Map.of());
        assertThat(store.stat("cxr-jpg", "big").orElseThrow().size()).isEqualTo(big.length);

        store.delete("cxr-jpg", key);
        assertThat(store.stat("cxr-jpg", key)).isEmpty();
        assertThat(store.exists("cxr-jpg", "big")).isTrue();
    }

    @Test
    void uploadWithAKnownDigestIsVerifiedByTheServer() {
        store.ensureBucket("cxr-raw");
        byte[] dicom = random(1 << 20);
        String sha = sha256(dicom);
        store.put("cxr-raw", "files/p10/p10000001/s50000001/a.dcm", dicom, sha, "application/dicom", Map.of("sha256", sha));
        assertThat(store.get("cxr-raw", "files/p10/p10000001/s50000001/a.dcm")).isEqualTo(dicom);

        String wrong = sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put("cxr-raw", "files/p10/p10000001/s50000001/b.dcm", dicom, wrong,
                "application/dicom", Map.of()))
                .isInstanceOf(ObjectStoreException.class);
        assertThat(store.exists("cxr-raw", "files/p10/p10000001/s50000001/b.dcm")).isFalse();
    }

    @Test
    void aFileGoesUpInOnePutVerifiedByItsDigest(@TempDir Path tmp) throws Exception {
        store.ensureBucket("cxr-raw");
        byte[] dicom = random(11 << 20); // over two 5 MiB parts: the streamed put would have used three
        Path file = Files.write(tmp.resolve("a.dcm"), dicom);
        String sha = sha256(dicom);
        store.put("cxr-raw", "files/p10/p10000002/s50000002/a.dcm", file, sha, "application/dicom", Map.of("sha256", sha));
        var info = store.stat("cxr-raw", "files/p10/p10000002/s50000002/a.dcm").orElseThrow();
        assertThat(info.size()).isEqualTo(dicom.length);
        assertThat(info.userMetadata()).containsEntry("sha256", sha);
        // one PUT: the ETag is the body's MD5, not the "md5-of-parts-N" of a multipart upload
        assertThat(info.etag().replace("\"", "")).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(dicom)));
        assertThat(store.get("cxr-raw", "files/p10/p10000002/s50000002/a.dcm")).isEqualTo(dicom);

        assertThatThrownBy(() -> store.put("cxr-raw", "files/p10/p10000002/s50000002/b.dcm", file,
                sha256(new byte[1]), "application/dicom", Map.of()))
                .isInstanceOf(ObjectStoreException.class);
        assertThat(store.exists("cxr-raw", "files/p10/p10000002/s50000002/b.dcm")).isFalse();
    }

    @Test
    void aRangedReadReturnsOnlyThoseBytes() throws Exception {
        store.ensureBucket("cxr-releases");
        byte[] data = random(1 << 20);
        store.put("cxr-releases", "ranged", data, "application/octet-stream", Map.of());
        try (InputStream in = store.open("cxr-releases", "ranged", 1000, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 6000));
            assertThat(((io.minio.GetObjectResponse) in).headers().get("Content-Range"))
                    .isEqualTo("bytes 1000-5999/" + data.length);
        }
        try (InputStream in = store.open("cxr-releases", "ranged", data.length - 10, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 10, data.length));
        }
        assertThatThrownBy(() -> store.open("cxr-releases", "ranged", data.length, 1))
                .isInstanceOf(ObjectStoreException.class).matches(e -> !((ObjectStoreException) e).notFound());
        assertThatThrownBy(() -> store.open("cxr-releases", "absent", 0, 1))
                .isInstanceOf(ObjectStoreException.class).matches(e -> ((ObjectStoreException) e).notFound());
    }

    @Test
    void unsignedPayloadsAreStillAuthenticated(@TempDir Path tmp) throws Exception {
        store.ensureBucket("cxr-raw");
        byte[] dicom = random(1 << 16);
        Path file = Files.write(tmp.resolve("a.dcm"), dicom);
        Endpoints e = InfraProcess.shared().endpoints();
        try (ObjectStore forged = new ObjectStore(e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey() + "x")) {
            assertThatThrownBy(() -> forged.put("cxr-raw", "forged/a.dcm", dicom, sha256(dicom), "application/dicom",
                    Map.of())).isInstanceOf(ObjectStoreException.class).hasMessageContaining("SignatureDoesNotMatch");
            assertThatThrownBy(() -> forged.put("cxr-raw", "forged/b.dcm", file, sha256(dicom), "application/dicom",
                    Map.of())).isInstanceOf(ObjectStoreException.class).hasMessageContaining("SignatureDoesNotMatch");
        }
        assertThat(store.listKeysToList("cxr-raw", "forged/")).isEmpty();
    }

    /**
     * What goes over the wire (observed by a recording endpoint, as S3 servers do not report it): the
     * payload is not signed, its SHA-256 goes in a signed header, and a file is one PUT of its length.
     */
    @Test
    void uploadsSendTheirDigestInASignedHeaderNotAsTheSignedPayload(@TempDir Path tmp) throws Exception {
        List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        recorder.createContext("/", ex -> {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> h.put(k, String.join(",", v)));
            h.put(":request", ex.getRequestMethod() + " " + ex.getRequestURI());
            requests.add(h);
            boolean location = ex.getRequestURI().getQuery() != null && ex.getRequestURI().getQuery().contains("location");
            byte[] body = location ? "<LocationConstraint>us-east-1</LocationConstraint>".getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            ex.getResponseHeaders().add("ETag", "\"0\"");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        recorder.start();
        byte[] data = random(3 << 20);
        Path file = Files.write(tmp.resolve("a.dcm"), random(7 << 20));
        try (ObjectStore s = new ObjectStore("http://127.0.0.1:" + recorder.getAddress().getPort(), "ak", "sk")) {
            s.put("cxr-raw", "bytes", data, sha256(data), "application/dicom", Map.of());
            s.put("cxr-raw", "file", file, sha256(Files.readAllBytes(file)), "application/dicom", Map.of());
        } finally {
            recorder.stop(0);
        }
        List<Map<String, String>> puts = requests.stream().filter(r -> r.get(":request").startsWith("PUT")).toList();
        assertThat(puts).extracting(r -> r.get(":request")).containsExactly("PUT /cxr-raw/bytes", "PUT /cxr-raw/file");
        assertThat(requests).noneMatch(r -> r.get(":request").startsWith("POST")); // no multipart upload
        assertThat(puts).extracting(r -> r.get("Content-Length")).containsExactly(String.valueOf(3 << 20),
                String.valueOf(7 << 20));
        for (Map<String, String> put : puts) {
            assertThat(put.get("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(put.get("x-amz-checksum-sha256")).isNotBlank();
            assertThat(put.get("Authorization")).startsWith("AWS4-HMAC-SHA256 ")
                    .containsPattern("SignedHeaders=[^,]*x-amz-checksum-sha256")
                    .containsPattern("SignedHeaders=[^,]*x-amz-content-sha256")
                    .containsPattern("SignedHeaders=[^,]*content-length");
        }
        assertThat(puts.get(0).get("x-amz-checksum-sha256"))
                .isEqualTo(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(data))));
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingObjectIsNotFoundNotAnOutage() {
        store.ensureBucket("cxr-reports");
        assertThatThrownBy(() -> store.get("cxr-reports", "files/p10/p10000001/s50000001.txt"))
                .isInstanceOf(ObjectStoreException.class)
                .matches(e -> ((ObjectStoreException) e).notFound());
    }

    @Test
    void unreachableStoreIsAnOutage() {
        try (ObjectStore down = new ObjectStore("http://127.0.0.1:1", "a", "b")) {
            assertThatThrownBy(() -> down.bucketExists("cxr-jpg"))
                    .isInstanceOf(ObjectStoreException.class)
                    .matches(e -> !((ObjectStoreException) e).notFound());
        }
    }
}
