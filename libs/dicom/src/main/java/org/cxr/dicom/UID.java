package org.cxr.dicom;

import java.math.BigInteger;
import java.util.UUID;

/** UIDs the platform writes, and UID generation. Transfer syntax UIDs: {@link TransferSyntax}. */
public final class UID {
    private UID() {
    }

    public static final String COMPUTED_RADIOGRAPHY_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1";
    public static final String DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1";
    public static final String DIGITAL_XRAY_IMAGE_STORAGE_FOR_PROCESSING = "1.2.840.10008.5.1.4.1.1.1.1.1";
    public static final String SECONDARY_CAPTURE_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7";

    /** Implementation Class UID written by this library in the file meta group. */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.119337385440307532918236475946411263981";
    /** Implementation Version Name written by this library (at most 16 characters). */
    public static final String IMPLEMENTATION_VERSION_NAME = "CXR_DICOM_1";

    /** A new UID under the 2.25 root (PS3.5 §B.2: the UUID as a decimal integer). */
    public static String random() {
        return fromUuid(UUID.randomUUID());
    }

    /** The 2.25 UID of a UUID (deterministic: the same UUID gives the same UID). */
    public static String fromUuid(UUID uuid) {
        BigInteger hi = BigInteger.valueOf(uuid.getMostSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        BigInteger lo = BigInteger.valueOf(uuid.getLeastSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        return "2.25." + hi.shiftLeft(64).or(lo);
    }
}
