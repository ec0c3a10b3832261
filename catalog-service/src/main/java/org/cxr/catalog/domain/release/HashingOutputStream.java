package org.cxr.catalog.domain.release;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Counts and SHA-256-hashes the bytes passing through. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha;
    private long bytes;
    private boolean closed;
    private final Consumer<HashingOutputStream> onClose;
    private String digest;

    HashingOutputStream(OutputStream out, Consumer<HashingOutputStream> onClose) {
        super(out);
        this.onClose = onClose;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha.update(b, off, len);
        bytes += len;
    }

    long bytes() {
        return bytes;
    }

    /** The digest, available once closed. */
    String sha256() {
        return digest;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
            digest = HexFormat.of().formatHex(sha.digest());
            onClose.accept(this);
        }
    }
}
