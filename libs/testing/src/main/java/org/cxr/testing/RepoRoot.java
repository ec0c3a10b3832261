package org.cxr.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, for tests and tools that read its files or the reference data next to it. */
public final class RepoRoot {
    private RepoRoot() {
    }

    /** {@code -Dcxr.repo.root} (set by the build), else found upwards from the working directory. */
    public static Path get() {
        String prop = System.getProperty("cxr.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "deploy", "local"))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("cxr")) && Files.isDirectory(p.resolve("deploy/local"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (set -Dcxr.repo.root)");
    }
}
