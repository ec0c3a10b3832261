package org.cxr.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store handler that keeps a copy of every received file and answers a fixed status. */
final class Recorder implements StoreHandler {
    record Stored(StoreRequest request, Path copy) {
    }

    final List<Stored> stored = new CopyOnWriteArrayList<>();
    private final Path dir;
    volatile DimseStatus answer = DimseStatus.SUCCESS;

    Recorder(Path dir) {
        this.dir = dir;
    }

    @Override
    public DimseStatus store(StoreRequest request) {
        try {
            Path copy = Files.copy(request.file(), dir.resolve("received-" + stored.size() + ".dcm"));
            stored.add(new Stored(request, copy));
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
