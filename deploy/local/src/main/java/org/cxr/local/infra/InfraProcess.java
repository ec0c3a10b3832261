package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts {@link InfraMain} in a child JVM (its own classpath: the servers' jars never meet a
 * service's classpath), waits for its endpoints and stops it. Used by the Quarkus test resource.
 */
public final class InfraProcess implements AutoCloseable {
    private static InfraProcess shared;

    private final Process process;
    private final Endpoints endpoints;
    private final Path dataDir;
    private final boolean deleteDataDir;

    private InfraProcess(Process process, Endpoints endpoints, Path dataDir, boolean deleteDataDir) {
        this.process = process;
        this.endpoints = endpoints;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
    }

    /**
     * The servers every test of this JVM shares: started on first use, stopped (and their data
     * deleted) when the JVM exits.
     */
    public static synchronized InfraProcess shared() {
        if (shared == null) {
            shared = startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "infra-test-stop"));
            System.out.println("[infra] Kafka " + shared.endpoints.kafkaBootstrap() + ", PostgreSQL "
                    + shared.endpoints.jdbcBaseUrl() + ", S3 " + shared.endpoints.s3Endpoint());
        }
        return shared;
    }

    /** Starts infrastructure with a fresh temporary data directory that is deleted on close. */
    public static InfraProcess startTemporary() {
        try {
            return start(Files.createTempDirectory("cxr-infra-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InfraProcess start(Path dataDir, boolean deleteDataDir) {
        Path log = dataDir.resolve("infra.log"); // its servers' log lines; shown when it fails
        Process p = ServerJvm.launch(InfraMain.class, "768m", ServerJvm.QUICK_START, "test-infra",
                List.of(dataDir.toString()), ProcessBuilder.Redirect.appendTo(log.toFile()));
        String json;
        try {
            json = ServerJvm.awaitReady(p, InfraMain.READY, Duration.ofSeconds(300),
                    line -> System.out.println("[infra] " + line));
        } catch (IllegalStateException e) {
            String tail;
            try {
                List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException io) {
                tail = "(no log)";
            }
            if (deleteDataDir) {
                deleteTree(dataDir);
            }
            throw new IllegalStateException(e.getMessage() + "; last lines of its log:\n" + tail, e);
        }
        try {
            return new InfraProcess(p, new ObjectMapper().readValue(json, Endpoints.class), dataDir, deleteDataDir);
        } catch (IOException e) {
            ServerJvm.destroy(p);
            throw new UncheckedIOException("unreadable endpoints from the infra JVM: " + json, e);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        ServerJvm.stop(process, Duration.ofSeconds(60));
        if (deleteDataDir) {
            deleteTree(dataDir);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort for a temporary directory
        }
    }
}
