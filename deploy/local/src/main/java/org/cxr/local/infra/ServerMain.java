package org.cxr.local.infra;

import java.nio.file.Path;

/**
 * Entry point of one server JVM of the local platform, so that the broker and the S3 server can be
 * killed and restarted on their own (the launcher supervises them):
 * <ul>
 * <li>{@code kafka DATA_DIR PORT CONTROLLER_PORT}: the broker, secured with SASL/SCRAM and ACLs,
 * its super user's password from {@code DATA_DIR/secrets};</li>
 * <li>{@code s3 DATA_DIR PORT}: S3Proxy with the data directory's generated identity.</li>
 * </ul>
 * Prints {@code CXR-SERVER-READY <endpoint>} when serving; stops on SIGTERM or when stdin closes.
 * Secrets never appear on the command line (which {@code ps} shows to everyone).
 */
public final class ServerMain {
    public static final String READY = "CXR-SERVER-READY ";

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        Secrets secrets = new Secrets(dataDir);
        AutoCloseable server;
        String endpoint;
        switch (args[0]) {
            case "kafka" -> {
                KafkaBroker kafka = new KafkaBroker(dataDir, port, Integer.parseInt(args[3]), secrets.kafkaAdmin());
                server = kafka;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server), "kafka-stop"));
                kafka.start();
                endpoint = kafka.bootstrap();
            }
            case "s3" -> {
                S3Server s3 = new S3Server(dataDir, port, secrets.s3AccessKey(), secrets.s3SecretKey());
                server = s3;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server), "s3-stop"));
                s3.start();
                endpoint = s3.endpoint();
            }
            default -> throw new IllegalArgumentException("unknown server " + args[0] + " (kafka or s3)");
        }
        System.out.println(READY + endpoint);
        System.out.flush();
        ServerJvm.waitForEof(System.in);
        System.exit(0); // runs the shutdown hook
    }

    private static void close(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("stopping failed: " + e);
        }
    }
}
