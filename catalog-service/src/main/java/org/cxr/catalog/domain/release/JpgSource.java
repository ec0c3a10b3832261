package org.cxr.catalog.domain.release;

import java.io.IOException;
import java.io.InputStream;

/** Reads JPGs for releases that include images. */
public interface JpgSource {
    InputStream open(String bucket, String key) throws IOException;
}
