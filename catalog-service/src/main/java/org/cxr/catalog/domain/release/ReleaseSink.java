package org.cxr.catalog.domain.release;

import java.io.IOException;
import java.io.OutputStream;

/** Where a release's files go (a local folder, a bucket prefix). */
public interface ReleaseSink {
    /**
     * A new file at a relative path (e.g. {@code mimic-cxr-2.0.0-metadata.csv.gz} or
     * {@code files/p10/p10000032/s50414267/x.jpg}); closing the stream completes the file.
     */
    OutputStream create(String relativePath) throws IOException;

    /** Where the release is, for people (a path or an s3:// URL). */
    String location();
}
