package org.cxr.convert.messaging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.cxr.convert.storage.ConversionObjects;

/**
 * The storage adapter of the tests: the real one, except that reading a DICOM registered in
 * {@link #POISONED} throws an Error, as a decoder's native crash or a missing class would. Every
 * other read goes to the real S3 server.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class PoisonedObjects extends ConversionObjects {
    /** Object keys whose every read throws. */
    static final Set<String> POISONED = ConcurrentHashMap.newKeySet();

    @Override
    public byte[] readDicom(String bucket, String key, int maxBytes) {
        if (POISONED.contains(key)) {
            throw new NoClassDefFoundError("org/cxr/convert/natives/Decoder (poisoned by the test)");
        }
        return super.readDicom(bucket, key, maxBytes);
    }
}
