package org.cxr.convert.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.platform.storage.BucketNames;
import org.cxr.platform.storage.ObjectStore;
import org.cxr.platform.storage.ObjectStoreException;

/**
 * The objects convert-service reads and writes: the DICOM (raw bucket, as the event names it), the
 * JPG at its dataset key and, next to the images, one announcement marker per instance
 * ({@code announced/<dicomId>.json}, the InstanceConverted as announced) written after the broker
 * acknowledged the event. JPG and marker carry the sha256 of the DICOM they come from and the
 * converter version as user metadata, so that a redelivered event can tell it is done.
 */
@ApplicationScoped
public class ConversionObjects {
    public static final String SOURCE_SHA256 = "source-sha256";
    public static final String CONVERTER_VERSION = "converter-version";
    static final String MARKERS = "announced/";

    @Inject
    ObjectStore store;

    @Inject
    BucketNames buckets;

    /** The object is larger than the service converts (an answer, not an outage: not retried). */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /** The bucket every DICOM convert reads is in. */
    public String rawBucket() {
        return buckets.raw();
    }

    public String jpgBucket() {
        return buckets.jpg();
    }

    public static String markerKey(String dicomId) {
        return MARKERS + dicomId + ".json";
    }

    /**
     * The DICOM bytes, read in one request. A missing object throws {@link ObjectStoreException}
     * with {@code notFound()}; an unreachable store (also mid-read) one without.
     */
    public byte[] readDicom(String bucket, String key, int maxBytes) {
        byte[] bytes;
        try (InputStream in = store.open(bucket, key)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + bucket + "/" + key + ": " + e.getMessage(), e, false);
        }
        if (bytes.length > maxBytes) {
            throw new TooLargeException(bucket + "/" + key + " is over the limit of " + maxBytes + " bytes");
        }
        return bytes;
    }

    public void putJpg(String key, byte[] jpg, String sourceSha256, String converterVersion) {
        store.put(buckets.jpg(), key, jpg, "image/jpeg", provenance(sourceSha256, converterVersion));
    }

    /** Records that the InstanceConverted of this instance (its JSON) was acknowledged by the broker. */
    public void markAnnounced(String dicomId, String eventJson, String sourceSha256, String converterVersion) {
        store.put(buckets.jpg(), markerKey(dicomId), eventJson.getBytes(StandardCharsets.UTF_8), "application/json",
                provenance(sourceSha256, converterVersion));
    }

    /**
     * Whether this instance is converted from these bytes by this converter and announced: the
     * marker and the JPG both exist and name the same source sha256 and converter version.
     */
    public boolean isAnnounced(String dicomId, String jpgKey, String sourceSha256, String converterVersion) {
        return sameProvenance(store.stat(buckets.jpg(), markerKey(dicomId)), sourceSha256, converterVersion)
                && sameProvenance(store.stat(buckets.jpg(), jpgKey), sourceSha256, converterVersion);
    }

    private static boolean sameProvenance(Optional<ObjectStore.ObjectInfo> info, String sha256, String version) {
        return info.isPresent() && sha256.equals(info.get().userMetadata().get(SOURCE_SHA256))
                && version.equals(info.get().userMetadata().get(CONVERTER_VERSION));
    }

    private static Map<String, String> provenance(String sourceSha256, String converterVersion) {
        return Map.of(SOURCE_SHA256, sourceSha256, CONVERTER_VERSION, converterVersion);
    }
}
