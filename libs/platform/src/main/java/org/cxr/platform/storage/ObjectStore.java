package org.cxr.platform.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectAPIArgs;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import okhttp3.OkHttpClient;

/**
 * The object store (MinIO in production, any S3 API server locally) through the MinIO Java SDK.
 * Only calls that S3Proxy also serves are used: no bucket notifications, no object lock.
 * <p>
 * Uploads with a known SHA-256 (byte arrays, files) are signed requests with an unsigned payload whose
 * integrity the server checks against the signed {@code x-amz-checksum-sha256} header
 * ({@link #verifiedUnsignedPayload}): every request is authenticated, and no body is stored unless it
 * matches its digest.
 */
public class ObjectStore implements AutoCloseable {
    /**
     * The checksum the server verifies on a streamed upload. The SDK's default, CRC32C, is computed a
     * byte at a time in Java and was 40 % of ingest's CPU per 1 MB upload; CRC32 is java.util.zip's
     * (intrinsic, ~30x faster) and as good at catching a damaged transfer. Uploads of a byte array
     * and of a file send their SHA-256 instead (see {@link #verifiedUnsignedPayload}).
     */
    static final Checksum.Algorithm UPLOAD_CHECKSUM = Checksum.Algorithm.CRC32;
    /** S3's limit for one PUT. */
    static final long MAX_SINGLE_PUT = 5L << 30;
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final OkHttpClient http;
    private final MinioClient client;
    /** The same connections; its lower-level PutObject takes a digest the caller already has. */
    private final MinioAsyncClient async;
    private final String endpoint;

    /**
     * Socket timeouts of every call: opening a connection, waiting for the next bytes of an answer,
     * sending the next bytes of an upload (per read or write, not per transfer).
     */
    public record Timeouts(Duration connect, Duration read, Duration write) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    public ObjectStore(String endpoint, String accessKey, String secretKey) {
        this(endpoint, accessKey, secretKey, Timeouts.DEFAULTS);
    }

    public ObjectStore(String endpoint, String accessKey, String secretKey, Timeouts timeouts) {
        this.endpoint = endpoint;
        this.http = Http.newDefaultClient().newBuilder().connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read()).writeTimeout(timeouts.write()).build();
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).httpClient(http).build();
        this.async = MinioAsyncClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).httpClient(http).build();
    }

    public String endpoint() {
        return endpoint;
    }

    /** What {@link #stat} tells about an object. */
    public record ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified,
            Map<String, String> userMetadata) {
    }

    public boolean bucketExists(String bucket) {
        return call("check bucket " + bucket, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    public void ensureBucket(String bucket) {
        if (!bucketExists(bucket)) {
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            } catch (ErrorResponseException e) {
                String code = e.errorResponse().code();
                if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                    throw new ObjectStoreException("cannot create bucket " + bucket + ": " + code, e, false);
                }
            } catch (MinioException | IllegalStateException e) {
                throw new ObjectStoreException("cannot create bucket " + bucket + ": " + e.getMessage(), e, false);
            }
        }
    }

    public void put(String bucket, String key, byte[] data, String contentType, Map<String, String> userMetadata) {
        put(bucket, key, data, sha256Hex(data), contentType, userMetadata);
    }

    /**
     * Uploads {@code data} whose SHA-256 the caller already has, in one PUT with a verified unsigned
     * payload (see {@link #verifiedUnsignedPayload}); the SDK itself hashes nothing (through
     * {@link MinioClient#putObject} it would compute a CRC32 and a SHA-256 of every payload again).
     *
     * @param sha256Hex lower-case hex SHA-256 of {@code data}; a wrong one makes the server refuse the upload
     */
    public void put(String bucket, String key, byte[] data, String sha256Hex, String contentType,
            Map<String, String> userMetadata) {
        PutObjectArgs args = PutObjectArgs.builder().bucket(bucket).object(key).data(data, data.length)
                .contentType(contentType).userMetadata(userMetadata).build();
        putObject("put " + bucket + "/" + key,
                () -> new PutObjectAPIArgs(args, data, data.length, args.contentType(), verifiedUnsignedPayload(sha256Hex)));
    }

    /**
     * Uploads a file whose SHA-256 the caller already has (ingest computes it while spooling), streamed
     * from disk in <em>one</em> PUT with a verified unsigned payload: memory stays bounded (the SDK
     * copies from the file in small buffers) and the server keeps a single copy (a multipart upload is
     * concatenated into a second one at completion). Files over {@link #MAX_SINGLE_PUT}, S3's limit for
     * one PUT, go up as a streamed multipart upload instead, each part checked by its CRC32 (a
     * multipart upload cannot carry the whole object's SHA-256).
     *
     * @param sha256Hex lower-case hex SHA-256 of the file; a wrong one makes the server refuse the upload
     * @throws UncheckedIOException when the file cannot be opened
     */
    public void put(String bucket, String key, Path file, String sha256Hex, String contentType,
            Map<String, String> userMetadata) {
        String what = "put " + bucket + "/" + key;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long size = raf.length();
            if (size > MAX_SINGLE_PUT) {
                put(bucket, key, Channels.newInputStream(raf.getChannel()), size, contentType, userMetadata);
                return;
            }
            // the SDK gets the open file, never its path (UploadObjectArgs would check the path again and
            // name it in its errors); the stream only tells the builder the size, the body comes from raf
            PutObjectArgs args = PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(Channels.newInputStream(raf.getChannel()), size, -1L)
                    .contentType(contentType).userMetadata(userMetadata).build();
            putObject(what, () -> new PutObjectAPIArgs(args, raf, size, args.contentType(), verifiedUnsignedPayload(sha256Hex)));
        } catch (IOException e) {
            // a local file that cannot be read is no store outage (not retried as one); no path in
            // the message: an imported file's path may name a patient
            throw new UncheckedIOException("cannot read the file for " + what, e);
        }
    }

    /**
     * The headers of a PUT whose body the server verifies by its SHA-256 instead of the signature:
     * {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} and {@code x-amz-checksum-sha256}. The SDK takes a
     * content hash given in the headers as is (over plain HTTP it would otherwise sign the payload's
     * SHA-256, which makes S3 servers buffer the body and hash it once more). The request stays
     * authenticated: the SigV4 signature covers the method, path, content length and every
     * {@code x-amz-*} header, so the checksum cannot be changed without the secret key, and the server
     * refuses a body that does not match it (S3Proxy, MinIO and AWS do) and stores nothing.
     */
    static Http.Headers verifiedUnsignedPayload(String sha256Hex) {
        Http.Headers headers = new Http.Headers();
        headers.put(Http.Headers.X_AMZ_CONTENT_SHA256, UNSIGNED_PAYLOAD);
        headers.put(Http.Headers.X_AMZ_SDK_CHECKSUM_ALGORITHM, Checksum.Algorithm.SHA256.toString());
        headers.put(Http.Headers.X_AMZ_CHECKSUM_SHA256,
                Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)));
        return headers;
    }

    @FunctionalInterface
    private interface PutArgs {
        PutObjectAPIArgs build() throws IOException;
    }

    private void putObject(String what, PutArgs args) {
        call(what, () -> {
            try {
                return async.putObject(args.build()).join();
            } catch (CompletionException e) {
                async.throwMinioException(e);
                return null;
            } catch (IOException e) {
                throw new MinioException(e);
            }
        });
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Streams {@code size} bytes (use -1 when unknown) as a multipart upload, each part held in memory
     * and checked by its CRC32; only an object smaller than one part goes up in one PUT. For a file
     * with a known SHA-256, {@link #put(String, String, Path, String, String, Map)} is cheaper for the server.
     */
    public void put(String bucket, String key, InputStream in, long size, String contentType,
            Map<String, String> userMetadata) {
        call("put " + bucket + "/" + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key).stream(in, size < 0 ? null : size, size < 0 ? 16L << 20 : null)
                .checksum(UPLOAD_CHECKSUM).contentType(contentType).userMetadata(userMetadata).build()));
    }

    /** The whole object. Throws {@link ObjectStoreException} with {@code notFound()} when absent. */
    public byte[] get(String bucket, String key) {
        try (InputStream in = open(bucket, key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + bucket + "/" + key + ": " + e.getMessage(), e, false);
        }
    }

    /** A stream of the object; the caller closes it. */
    public InputStream open(String bucket, String key) {
        return call("get " + bucket + "/" + key,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /**
     * A stream of {@code length} bytes of the object from {@code offset} (to its end when {@code length}
     * is negative): one GET with a {@code Range} header, so the server reads and sends only those bytes.
     * The answer's headers (an {@code io.minio.GetObjectResponse}) carry {@code Content-Range} and the
     * object's {@code ETag}. A range starting at or past the end fails (the server answers 416).
     */
    public InputStream open(String bucket, String key, long offset, long length) {
        return call("get " + bucket + "/" + key + " from " + offset, () -> client.getObject(GetObjectArgs.builder()
                .bucket(bucket).object(key).offset(offset).length(length < 0 ? null : length).build()));
    }

    public Optional<ObjectInfo> stat(String bucket, String key) {
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectInfo(bucket, key, r.size(), r.etag(),
                    r.lastModified() == null ? null : r.lastModified().toInstant(), userMetadata(r)));
        } catch (ErrorResponseException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw new ObjectStoreException("cannot stat " + bucket + "/" + key + ": " + e.getMessage(), e, false);
        } catch (MinioException | IllegalStateException e) {
            throw new ObjectStoreException("cannot stat " + bucket + "/" + key + ": " + e.getMessage(), e, false);
        }
    }

    public boolean exists(String bucket, String key) {
        return stat(bucket, key).isPresent();
    }

    public void delete(String bucket, String key) {
        call("delete " + bucket + "/" + key,
                () -> {
                    client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
                    return null;
                });
    }

    /** Object keys under a prefix, in key order, fetched lazily page by page. */
    public Iterable<String> listKeys(String bucket, String prefix) {
        Iterable<Result<Item>> results = client.listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build());
        return () -> new Iterator<>() {
            private final Iterator<Result<Item>> it = results.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return call("list " + bucket + "/" + prefix, () -> it.next().get().objectName());
            }
        };
    }

    public List<String> listKeysToList(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        listKeys(bucket, prefix).forEach(keys::add);
        return keys;
    }

    private static Map<String, String> userMetadata(StatObjectResponse r) {
        Map<String, String> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : r.userMetadata()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static boolean isNotFound(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)
                || e.response() != null && e.response().code() == 404;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws MinioException;
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new ObjectStoreException(what + " failed: " + e.errorResponse().code() + " " + e.getMessage(), e,
                    isNotFound(e));
        } catch (MinioException | IllegalStateException e) {
            // the SDK reports I/O failures (connection refused, timeouts) as IllegalStateException
            throw new ObjectStoreException(what + " failed: " + e.getMessage(), e, false);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
            async.close();
        } catch (Exception e) {
            // nothing to release that matters at shutdown
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
