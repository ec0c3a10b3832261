package org.cxr.catalog.domain.release;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A gzip stream (RFC 1952) whose bytes depend only on the content: a fixed 10-byte header (no file
 * name, MTIME 0, XFL 0, OS 255 "unknown") written here rather than by {@link java.util.zip.GZIPOutputStream}
 * (which wrote OS 0 before JDK 16 and 255 after), raw deflate at level 6, then CRC-32 and size.
 * Python's gzip module and pandas read it like any .gz file.
 */
public final class DeterministicGzip extends FilterOutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(6, true);
    private final DeflaterOutputStream deflate;
    private final CRC32 crc = new CRC32();
    private final OutputStream raw;
    private long size;
    private boolean closed;

    public DeterministicGzip(OutputStream out) throws IOException {
        super(out);
        this.raw = out;
        raw.write(HEADER);
        deflate = new DeflaterOutputStream(raw, deflater, 64 * 1024);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        deflate.write(b, off, len);
        crc.update(b, off, len);
        size += len;
    }

    @Override
    public void flush() {
        // a sync flush would put content-independent markers in the stream; finish on close only
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            deflate.finish();
            writeIntLe(crc.getValue());
            writeIntLe(size & 0xffffffffL);
            raw.close();
        } finally {
            deflater.end();
        }
    }

    private void writeIntLe(long v) throws IOException {
        raw.write((int) (v & 0xff));
        raw.write((int) (v >>> 8 & 0xff));
        raw.write((int) (v >>> 16 & 0xff));
        raw.write((int) (v >>> 24 & 0xff));
    }
}
