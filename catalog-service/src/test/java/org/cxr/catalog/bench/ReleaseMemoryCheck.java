package org.cxr.catalog.bench;

import java.nio.file.Path;

import org.cxr.catalog.domain.release.ReleaseResult;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.domain.release.ReleaseWriter;
import org.cxr.catalog.repository.JdbcReleaseSource;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Writes a full release with the release code in a JVM of its own, started with a small heap
 * (e.g. -Xmx64m): if rows were collected instead of streamed, a MIMIC-size catalog (377,110 image
 * rows) would not fit. Args: JDBC_URL USER PASSWORD OUT_DIR RELEASE_ID.
 */
public final class ReleaseMemoryCheck {
    private ReleaseMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        ds.setUser(args[1]);
        ds.setPassword(args[2]);
        Path out = Path.of(args[3]);
        long t0 = System.nanoTime();
        ReleaseResult r = new ReleaseWriter(JdbcReleaseSource.of(ds), null, out.resolveSibling(out.getFileName() + "-work"))
                .write(ReleaseSelection.full(), new FolderReleaseSink(out), false,
                        new ReleaseWriter.ReleaseInfo(Integer.parseInt(args[4]), null,
                                "CXR dataset (MIMIC-CXR-JPG v2.0.0 layout)"));
        System.out.printf("RELEASE-MEMORY-CHECK images=%d studies=%d seconds=%.2f maxHeapMB=%d%n", r.images(), r.studies(),
                (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
    }
}
