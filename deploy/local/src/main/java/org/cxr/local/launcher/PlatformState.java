package org.cxr.local.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

import org.cxr.local.infra.Endpoints;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a running local platform publishes in {@code <data-dir>/platform.json}: the supervisor's
 * pid, where the servers and services listen, and whether it is ready; for every process it keeps
 * running (kafka, postgres, s3, the services), its current pid, phase and restart count.
 * {@code ./cxr down}, {@code status}, {@code import} and {@code release} read it. It holds no
 * secret: credentials are in {@code <data-dir>/secrets/} (the endpoints' credential fields are null).
 *
 * @param serviceUrls    public port of each service (the API)
 * @param managementUrls management port of each service (health and metrics once the service turns
 *                       Quarkus's management interface on; until then they answer on the public port)
 * @param servicePids    current pid of each service (also in {@code processes})
 * @param processes      every supervised process by name
 * @param listeners      ingest's hospital listeners: {@code dimse} and {@code hl7} as {@code host:port}
 *                       (null in a file written before they existed)
 */
public record PlatformState(long supervisorPid, String phase, Endpoints endpoints, Map<String, String> serviceUrls,
        Map<String, String> managementUrls, Map<String, Long> servicePids, Map<String, ProcessInfo> processes,
        String startedAt, String message, Map<String, String> listeners) {

    /** One supervised process. {@code lastExit} says how it last ended, null if it never did. */
    public record ProcessInfo(long pid, String phase, int restarts, String lastExit, String since) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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

    /** Every pid the platform runs (supervisor included), for {@code ./cxr down} to wait on. */
    public java.util.List<Long> allPids() {
        java.util.List<Long> pids = new java.util.ArrayList<>();
        pids.add(supervisorPid);
        if (processes != null) {
            processes.values().stream().map(ProcessInfo::pid).filter(p -> p > 0).forEach(pids::add);
        }
        if (servicePids != null) {
            servicePids.values().stream().filter(p -> !pids.contains(p)).forEach(pids::add);
        }
        return pids;
    }
}
