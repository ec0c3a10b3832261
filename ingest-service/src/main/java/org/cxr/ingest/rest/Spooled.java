package org.cxr.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cxr.ingest.service.IntakeBudget;

/**
 * A request body read as it streams in and checked against its limit on the way: held in memory
 * when its reservation allows it, else written to a temporary file. An undeclared length grows the
 * reservation chunk by chunk. Closing deletes the file.
 */
final class Spooled implements AutoCloseable {
    /** The body went over its limit; nothing more of it was read. */
    static final class TooLarge extends Exception {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** The body does not fit in what the service may hold right now. */
    static final class NoRoom extends Exception {
        NoRoom() {
            super("no room for the upload now", null, false, false);
        }
    }

    private static final int CHUNK = 1 << 16;

    final byte[] bytes;
    final Path file;
    final long size;

    private Spooled(byte[] bytes, Path file, long size) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
    }

    static Spooled read(InputStream in, long declared, long limit, IntakeBudget.Reservation budget)
            throws IOException, TooLarge, NoRoom {
        if (declared > limit) {
            throw new TooLarge("body of " + declared + " bytes is over the limit of " + limit + " bytes");
        }
        if (budget.inMemory() && declared >= 0) {
            byte[] b = in.readNBytes((int) declared);
            if (b.length < declared) {
                throw new IOException("the body ended after " + b.length + " of " + declared + " bytes");
            }
            return new Spooled(b, null, b.length);
        }
        Path file = Files.createTempFile("cxr-upload-", ".part");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[CHUNK];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new TooLarge("body over the limit of " + limit + " bytes");
                }
                if (declared < 0 && !budget.grow(n)) {
                    throw new NoRoom();
                }
                out.write(buf, 0, n);
            }
            return new Spooled(null, file, total);
        } catch (IOException | TooLarge | NoRoom | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A part of a spooled body, copied out (in memory when small, else to its own file). */
    static Spooled copyOf(java.nio.ByteBuffer part, long inMemoryLimit) throws IOException {
        if (part.remaining() <= inMemoryLimit) {
            byte[] b = new byte[part.remaining()];
            part.get(b);
            return new Spooled(b, null, b.length);
        }
        Path file = Files.createTempFile("cxr-part-", ".dcm");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            long n = part.remaining();
            while (part.hasRemaining()) {
                ch.write(part);
            }
            return new Spooled(null, file, n);
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
