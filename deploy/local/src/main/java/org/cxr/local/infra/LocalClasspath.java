package org.cxr.local.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the classpath of the cxr-local module (its classes plus target/classpath.txt written by
 * the build), so that the infra JVM can be started from any module's tests.
 */
public final class LocalClasspath {
    private LocalClasspath() {
    }

    /** The repository root: {@code -Dcxr.repo.root} (set by the build), else found upwards from the working directory. */
    public static Path repoRoot() {
        return org.cxr.testing.RepoRoot.get();
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
