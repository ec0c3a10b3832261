package org.cxr.catalog.storage;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.cxr.catalog.domain.release.ReleaseSink;
import org.cxr.platform.storage.ObjectStore;

/**
 * Writes a release under {@code bucket/prefix}: each file is staged in a scratch file (so memory
 * stays flat and the upload knows its size) and uploaded when its stream is closed.
 */
public final class BucketReleaseSink implements ReleaseSink {
    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final Path scratch;

    /** @param prefix ends with '/', e.g. {@code releases/3/} */
    public BucketReleaseSink(ObjectStore store, String bucket, String prefix, Path scratch) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = prefix;
        this.scratch = scratch;
    }

    @Override
    public OutputStream create(String relativePath) throws IOException {
        Files.createDirectories(scratch);
        Path tmp = Files.createTempFile(scratch, "upload-", ".tmp");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024);
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    super.close();
                    try (InputStream in = Files.newInputStream(tmp)) {
                        store.put(bucket, prefix + relativePath, in, Files.size(tmp), contentType(relativePath), Map.of());
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        };
    }

    /** Removes every object under {@code bucket/prefix} (what sinks of a failed release wrote); how many. */
    public static int removeAll(ObjectStore store, String bucket, String prefix) {
        int n = 0;
        for (String key : store.listKeysToList(bucket, prefix)) {
            store.delete(bucket, key);
            n++;
        }
        return n;
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    public static String contentType(String name) {
        if (name.endsWith(".gz")) {
            return "application/gzip";
        }
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".md")) {
            return "text/markdown; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }
}
