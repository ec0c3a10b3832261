package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Finds the classpath of the cxr-local module (its classes plus target/classpath.txt written by
 * the build), so that the infra JVM can be started from any module's tests.
 */
public final class LocalClasspath {
    private LocalClasspath() {
    }

    /**
     * The repository root: {@code -Dcxr.repo.root} (set by the build), else found upwards from the
     * working directory. The rule of cxr-testing's {@code RepoRoot}, which the launcher does not
     * depend on (test support stays off its classpath).
     */
    public static Path repoRoot() {
        Stream<Path> upwards = Stream.iterate(Path.of("").toAbsolutePath(), Objects::nonNull, Path::getParent)
                .filter(p -> Files.isRegularFile(p.resolve("cxr")));
        return Stream.concat(Stream.ofNullable(System.getProperty("cxr.repo.root")).map(Path::of), upwards)
                .filter(p -> Files.isDirectory(p.resolve("deploy/local"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("cannot find the repository root (set -Dcxr.repo.root)"));
    }

    public static String infraClasspath() {
        Path target = repoRoot().resolve("deploy/local/target");
        Path cpFile = target.resolve("classpath.txt");
        Path classes = target.resolve("classes");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) {
            throw new IllegalStateException("deploy/local is not built (" + cpFile
                    + " missing): run ./mvnw -pl deploy/local -am install or ./cxr build");
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(cpFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
