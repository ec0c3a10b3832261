package org.cxr.catalog.storage;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.cxr.catalog.domain.release.ReleaseSink;

/** Writes a release into a local folder; each file appears (atomic rename) only once complete. */
public final class FolderReleaseSink implements ReleaseSink {
    private final Path root;

    public FolderReleaseSink(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public OutputStream create(String relativePath) throws IOException {
        Path target = root.resolve(relativePath).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("path escapes the release folder: " + relativePath);
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 64 * 1024);
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    super.close();
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        };
    }

    @Override
    public String location() {
        return root.toString();
    }
}
