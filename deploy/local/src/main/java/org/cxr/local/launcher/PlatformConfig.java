package org.cxr.local.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.cxr.local.infra.LocalInfrastructure;

/**
 * Where the local platform keeps its data and which ports it uses. Defaults avoid the usual ports
 * of a developer's own Kafka/PostgreSQL/MinIO so that both can run side by side.
 */
public record PlatformConfig(Path repoRoot, Path dataDir, int kafkaPort, int postgresPort, int s3Port,
        Map<String, Integer> servicePorts) {

    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_S3_PORT = 19000;

    public static PlatformConfig defaults(Path repoRoot, Path dataDir) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            ports.put(s.name(), s.defaultPort());
        }
        return new PlatformConfig(repoRoot, dataDir, DEFAULT_KAFKA_PORT, DEFAULT_POSTGRES_PORT, DEFAULT_S3_PORT, ports);
    }

    /** Every port taken from the OS (for tests that run beside a developer's platform). */
    public static PlatformConfig anyPorts(Path repoRoot, Path dataDir) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec s : ServiceSpec.ALL) {
            ports.put(s.name(), 0);
        }
        return new PlatformConfig(repoRoot, dataDir, 0, 0, 0, ports);
    }

    public LocalInfrastructure.Ports infraPorts() {
        return new LocalInfrastructure.Ports(kafkaPort, postgresPort, s3Port);
    }

    public int port(ServiceSpec s) {
        return servicePorts.getOrDefault(s.name(), s.defaultPort());
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path stateFile() {
        return dataDir.resolve("platform.json");
    }

    public Path dropFolder() {
        return dataDir.resolve("drop");
    }
}
