package org.cxr.local.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

import org.cxr.local.infra.Endpoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a running local platform publishes in {@code <data-dir>/platform.json}: the supervisor's
 * pid, where the servers and services listen, and whether it is ready. {@code ./cxr down},
 * {@code status}, {@code import} and {@code release} read it.
 */
public record PlatformState(long supervisorPid, String phase, Endpoints endpoints, Map<String, String> serviceUrls,
        Map<String, Long> servicePids, String startedAt, String message) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String STARTING = "starting";
    public static final String READY = "ready";
    public static final String STOPPING = "stopping";
    public static final String FAILED = "failed";

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Optional<PlatformState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), PlatformState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The supervisor process is still alive. */
    public boolean alive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
