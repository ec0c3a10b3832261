package org.cxr.catalog.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.cxr.local.testing.LocalInfraTestResource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A second catalog-service replica in its own JVM, on the same servers as the tests: the same
 * application, started by Quarkus' test bootstrap ({@link ReplicaHost}) with the test profile, so
 * that it runs with the test servers' credentials exactly like the replica under test (a packaged
 * service refuses those: they ship with the repository). Killed with {@link #kill()} (SIGKILL).
 */
public final class SecondReplica implements AutoCloseable {
    private final Process process;
    private final int port;

    private SecondReplica(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the replica and returns once it serves HTTP.
     *
     * @param settings extra configuration of the replica (system properties)
     */
    public static SecondReplica start(Path log, Map<String, String> settings, Duration timeout)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", classpath(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dquarkus.http.test-port=" + port));
        LocalInfraTestResource.endpoints().quarkusConfig("catalog").forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add(SecondReplica.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "second-replica-stop"));
        SecondReplica replica = new SecondReplica(p, port);
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the second replica exited; its log: " + log.toAbsolutePath());
                }
                return Files.readString(log).contains(ReplicaHost.STARTED);
            });
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    public int port() {
        return port;
    }

    /** kill -9: no shutdown hook, no goodbye to the broker or the database. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** In the replica's JVM: runs {@link ReplicaHost}, which starts the application and waits. */
    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        // by name: Quarkus' launcher listener loads the class in the application's class loader
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ReplicaHost.class.getName()))
                .build(), summary);
        summary.getSummary().printFailuresTo(new PrintWriter(System.out, true), 20);
        System.exit(summary.getSummary().getTotalFailureCount() == 0 ? 0 : 1);
    }

    /** The test classpath (surefire's, when the caller runs under it). */
    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
