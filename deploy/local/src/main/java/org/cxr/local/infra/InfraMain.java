package org.cxr.local.infra;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Entry point of the infra JVM used by tests (one JVM starts faster than three): starts Kafka,
 * PostgreSQL (a child process) and S3, prints one line
 * {@code CXR-INFRA-READY {json endpoints}} on stdout, and stops everything when its stdin closes
 * (the parent went away) or on SIGTERM.
 *
 * <p>Arguments: {@code DATA_DIR [KAFKA_PORT PG_PORT S3_PORT]} (0 = any free port).
 */
public final class InfraMain {
    public static final String READY = "CXR-INFRA-READY ";

    private InfraMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        LocalInfrastructure.Ports ports = args.length >= 4
                ? new LocalInfrastructure.Ports(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                        Integer.parseInt(args[3]))
                : LocalInfrastructure.Ports.any();
        LocalInfrastructure infra = new LocalInfrastructure(dataDir, ports);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            infra.close();
            stopped.countDown();
        }, "infra-stop"));
        Endpoints endpoints = infra.start();
        System.out.println(READY + new ObjectMapper().writeValueAsString(endpoints));
        System.out.flush();
        ServerJvm.waitForEof(System.in);
        System.exit(0); // runs the shutdown hook
    }
}
