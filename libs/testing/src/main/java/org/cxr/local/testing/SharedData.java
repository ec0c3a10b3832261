package org.cxr.local.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only reference inputs in {@code ../shared} (real DICOM files, reports with
 * human labels, the Python reference recipe). They are never committed: a fresh clone has no
 * {@code ../shared}, and tests that need it are skipped with a message saying so.
 */
public final class SharedData {
    private SharedData() {
    }

    /** {@code ../shared} next to the repository, or {@code $CXR_SHARED_DIR}; null when absent. */
    public static Path root() {
        String env = System.getenv("CXR_SHARED_DIR");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        Path p = org.cxr.testing.RepoRoot.get().toAbsolutePath().getParent().resolve("shared");
        return Files.isDirectory(p) ? p : null;
    }

    /** The given path under ../shared; skips the calling test (with a clear message) when absent. */
    public static Path require(String relative) {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.exists(root.resolve(relative)),
                "SKIPPED: needs ../shared/" + relative + " (reference data next to the repository;"
                        + " absent in a fresh clone). Set CXR_SHARED_DIR to use another location.");
        return root.resolve(relative);
    }
}
