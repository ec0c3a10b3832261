package org.cxr.local.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.cxr.local.infra.PostgresServer;
import org.cxr.local.infra.ServerJvm;
import org.cxr.local.infra.ServerMain;

/** The broker or the S3 server in its own JVM ({@link ServerMain}), its output in {@code logs/<name>.log}. */
final class ServerChild implements Child {
    private final String name;
    private final String maxHeap;
    private final List<String> args;
    private final Path log;

    /** @param args {@link ServerMain}'s arguments: kind, data directory, ports */
    ServerChild(String name, String maxHeap, List<String> args, Path log) {
        this.name = name;
        this.maxHeap = maxHeap;
        this.args = List.copyOf(args);
        this.log = log;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Process launch() {
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ServerJvm.launch(ServerMain.class, maxHeap, ServerJvm.platformOptions(name, System.getenv()), name, args,
                ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    @Override
    public void awaitReady(Process process, Duration timeout) {
        Writer out;
        try {
            out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
        ServerJvm.awaitReady(process, ServerMain.READY, timeout, line -> {
            synchronized (out) {
                try {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                } catch (IOException e) {
                    // the log is best effort; the server keeps running
                }
            }
        });
    }

    @Override
    public void stop(Process process) {
        ServerJvm.stop(process, Duration.ofSeconds(30));
    }

    /** PostgreSQL as its own server process. */
    static Child postgres(PostgresServer pg) {
        return new Child() {
            @Override
            public String name() {
                return "postgres";
            }

            @Override
            public Process launch() {
                return pg.launch();
            }

            @Override
            public void awaitReady(Process process, Duration timeout) {
                pg.awaitReady(process, timeout);
            }

            @Override
            public void stop(Process process) {
                PostgresServer.stop(process);
            }
        };
    }
}
