package org.cxr.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the read-only reference data in {@code ../shared} (never committed). libs/dicom cannot use
 * cxr-local's SharedData, so this is its own tiny copy: repo root from {@code cxr.repo.root} (set by
 * the parent pom's surefire config), else the nearest ancestor holding {@code deploy/local}; shared
 * = root/../shared, or $CXR_SHARED_DIR.
 */
final class SharedTestData {
    private SharedTestData() {
    }

    static Path root() {
        String env = System.getenv("CXR_SHARED_DIR");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env);
        }
        Path repo = repoRoot();
        if (repo == null) {
            return null;
        }
        Path shared = repo.toAbsolutePath().normalize().getParent().resolve("shared");
        return Files.isDirectory(shared) ? shared : null;
    }

    static Path repoRoot() {
        String prop = System.getProperty("cxr.repo.root");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "deploy", "local"))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/local"))) {
                return p;
            }
        }
        return null;
    }

    /** ../shared/data/dicom; skips the calling test with a message when absent. */
    static Path dicomDir() {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("data/dicom")),
                "SKIPPED: needs ../shared/data/dicom (reference DICOM files next to the repository;"
                        + " absent in a fresh clone). Set CXR_SHARED_DIR to use another location.");
        return root.resolve("data/dicom");
    }

    /** Every .dcm file under ../shared/data/dicom, sorted. */
    static List<Path> dicomFiles() {
        Path dir = dicomDir();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** /usr/bin/python3 with pydicom, or null. */
    static Path pythonWithPydicom() {
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(py)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(py.toString(), "-c", "import pydicom").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? py : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
