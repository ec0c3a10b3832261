package org.cxr.local.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * One of the four services as the launcher runs it: a packaged Quarkus application
 * ({@code <module>/target/quarkus-app/quarkus-run.jar}) in its own JVM.
 *
 * @param database the PostgreSQL database it uses, or null
 */
public record ServiceSpec(String name, String module, int defaultPort, String database, String maxHeap) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("ingest", "ingest-service", 8081, "ingest", "512m"),
            new ServiceSpec("convert", "convert-service", 8082, null, "1536m"),
            new ServiceSpec("label", "label-service", 8083, null, "384m"),
            new ServiceSpec("catalog", "catalog-service", 8084, "catalog", "512m"));

    public Path runnerJar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
