package org.cxr.catalog.storage;

import java.io.InputStream;

import org.cxr.catalog.domain.release.JpgSource;
import org.cxr.platform.storage.ObjectStore;

/** JPGs from the object store, where convert-service put them. */
public final class ObjectStoreImages implements JpgSource {
    private final ObjectStore store;

    public ObjectStoreImages(ObjectStore store) {
        this.store = store;
    }

    @Override
    public InputStream open(String bucket, String key) {
        return store.open(bucket, key);
    }
}
