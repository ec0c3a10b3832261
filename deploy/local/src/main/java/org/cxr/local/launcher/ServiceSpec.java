package org.cxr.local.launcher;

import java.nio.file.Path;
import java.util.List;

import org.cxr.events.TopicAccess;

/**
 * One of the four services as the launcher runs it: a packaged Quarkus application
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}) in its own JVM.
 *
 * @param database the PostgreSQL database it uses (and the role that owns it), or null
 * @param access   its Kafka principal, topics and consumer group
 */
public record ServiceSpec(String name, String module, int defaultPort, String database, String maxHeap,
        TopicAccess access) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("ingest", "ingest-service", 8081, "ingest", "512m", TopicAccess.INGEST),
            new ServiceSpec("convert", "convert-service", 8082, null, "1536m", TopicAccess.CONVERT),
            new ServiceSpec("label", "label-service", 8083, null, "384m", TopicAccess.LABEL),
            new ServiceSpec("catalog", "catalog-service", 8084, "catalog", "512m", TopicAccess.CATALOG));

    /** A service run outside the platform (a benchmark): its access is that of the module's principal. */
    public ServiceSpec(String name, String module, int defaultPort, String database, String maxHeap) {
        this(name, module, defaultPort, database, maxHeap, TopicAccess.of(module).orElse(null));
    }

    public Path runnerJar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
