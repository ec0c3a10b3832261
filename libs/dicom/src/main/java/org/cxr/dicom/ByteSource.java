package org.cxr.dicom;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Random access to the bytes a dataset was read from, so that pixel data can be read when (and
 * only if) it is needed. Implementations are thread-safe.
 */
public interface ByteSource {
    /** Number of bytes available. */
    long length() throws IOException;

    /** {@code length} bytes from {@code offset}; fails when they are not all available. */
    byte[] read(long offset, int length) throws IOException;

    /** Copies {@code length} bytes from {@code offset} to {@code out}. */
    default void transferTo(long offset, long length, OutputStream out) throws IOException {
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(1 << 20, length - done);
            out.write(read(offset + done, n));
            done += n;
        }
    }

    /** A source over (a slice of) an array, without copying it. */
    static ByteSource of(byte[] array) {
        return new ArraySource(array, 0, array.length);
    }

    /** A source that opens the file for each read (no file handle is held). */
    static ByteSource of(Path file) {
        return new FileSource(file);
    }

    /** Over an array. */
    record ArraySource(byte[] array, int offset, int size) implements ByteSource {
        @Override
        public long length() {
            return size;
        }

        @Override
        public byte[] read(long pos, int len) throws IOException {
            if (pos < 0 || len < 0 || pos + len > size) {
                throw new IOException("read of " + len + " bytes at " + pos + " beyond the " + size + " available");
            }
            return Arrays.copyOfRange(array, offset + (int) pos, offset + (int) pos + len);
        }

        @Override
        public void transferTo(long pos, long len, OutputStream out) throws IOException {
            if (pos < 0 || len < 0 || pos + len > size) {
                throw new IOException("read of " + len + " bytes at " + pos + " beyond the " + size + " available");
            }
            out.write(array, offset + (int) pos, (int) len);
        }
    }

    /** Over a file. */
    record FileSource(Path file) implements ByteSource {
        @Override
        public long length() throws IOException {
            return java.nio.file.Files.size(file);
        }

        @Override
        public byte[] read(long pos, int len) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                return readFully(ch, pos, len);
            }
        }

        static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
            if (pos < 0 || len < 0 || pos + len > ch.size()) {
                throw new IOException("read of " + len + " bytes at " + pos + " beyond the " + ch.size() + " available");
            }
            byte[] out = new byte[len];
            ByteBuffer bb = ByteBuffer.wrap(out);
            while (bb.hasRemaining()) {
                if (ch.read(bb, pos + bb.position()) < 0) {
                    throw new IOException("file ended at " + (pos + bb.position()));
                }
            }
            return out;
        }
    }
}
