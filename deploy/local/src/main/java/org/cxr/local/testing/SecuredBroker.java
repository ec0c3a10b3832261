package org.cxr.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cxr.local.infra.FreePorts;
import org.cxr.local.infra.KafkaAccess;
import org.cxr.local.infra.KafkaLogin;
import org.cxr.local.infra.Secrets;
import org.cxr.local.infra.ServerJvm;
import org.cxr.local.infra.ServerMain;

/**
 * For tests of access control: the broker exactly as {@code ./cxr up} runs it (its own JVM,
 * SASL/SCRAM, the standard authorizer, one principal per service with the ACLs of
 * {@code TopicAccess}, every topic created), in a temporary data directory deleted on close. The
 * module tests' {@link LocalInfraTestResource} broker stays open (no authentication) for speed.
 */
public final class SecuredBroker implements AutoCloseable {
    private final Path dataDir;
    private final Process process;
    private final String bootstrap;
    private final Secrets secrets;

    private SecuredBroker(Path dataDir, Process process, String bootstrap, Secrets secrets) {
        this.dataDir = dataDir;
        this.process = process;
        this.bootstrap = bootstrap;
        this.secrets = secrets;
    }

    public static SecuredBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("cxr-secured-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Secrets secrets = new Secrets(dir);
        secrets.kafkaAdmin(); // created before the broker reads it
        Process p = ServerJvm.launch(ServerMain.class, "512m", ServerJvm.QUICK_START, "test-infra",
                List.of("kafka", dir.toString(), "" + FreePorts.pick(0), "" + FreePorts.pick(0)),
                ProcessBuilder.Redirect.INHERIT);
        String bootstrap = ServerJvm.awaitReady(p, ServerMain.READY, Duration.ofMinutes(3),
                line -> System.out.println("[secured-broker] " + line));
        SecuredBroker broker = new SecuredBroker(dir, p, bootstrap, secrets);
        try {
            KafkaAccess.provision(broker.client(secrets.kafkaAdmin()), secrets::kafka);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The SCRAM identity of a service principal ({@code convert-service}, ...). */
    public KafkaLogin login(String principal) {
        return secrets.kafka(principal);
    }

    /** The super user. */
    public KafkaLogin admin() {
        return secrets.kafkaAdmin();
    }

    /** Client settings (bootstrap included) to connect as {@code login}. */
    public Map<String, Object> client(KafkaLogin login) {
        Map<String, Object> c = new HashMap<>(login.clientConfig());
        c.put("bootstrap.servers", bootstrap);
        return c;
    }

    @Override
    public void close() {
        ServerJvm.stop(process, Duration.ofSeconds(30));
        org.cxr.local.infra.InfraProcess.deleteTree(dataDir);
    }
}
