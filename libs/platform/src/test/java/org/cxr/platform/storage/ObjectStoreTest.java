package org.cxr.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.cxr.local.infra.Endpoints;
import org.cxr.local.infra.InfraProcess;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        byte[] dicom = new byte[1 << 20];
        new java.util.Random(7).nextBytes(dicom);
        String sha = sha256(dicom);
        store.put("cxr-raw", "files/p10/p10000001/s50000001/a.dcm", dicom, sha, "application/dicom", Map.of("sha256", sha));
        assertThat(store.get("cxr-raw", "files/p10/p10000001/s50000001/a.dcm")).isEqualTo(dicom);

        String wrong = sha256("other bytes".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put("cxr-raw", "files/p10/p10000001/s50000001/b.dcm", dicom, wrong,
                "application/dicom", Map.of()))
                .isInstanceOf(ObjectStoreException.class);
        assertThat(store.exists("cxr-raw", "files/p10/p10000001/s50000001/b.dcm")).isFalse();
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
