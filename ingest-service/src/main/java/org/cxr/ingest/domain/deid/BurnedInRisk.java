package org.cxr.ingest.domain.deid;

import java.util.Locale;
import java.util.Optional;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;

/**
 * Whether an instance may carry identifying text in its pixels, which de-identification of the
 * header cannot remove: BurnedInAnnotation other than NO, a secondary-capture SOP class (scanned
 * film, screenshots, exports from other systems), or a screen capture (ImageType DERIVED\SECONDARY).
 * Primary images (ORIGINAL, or DERIVED\PRIMARY such as a lossy-compressed CR) pass.
 */
public final class BurnedInRisk {
    /** Secondary Capture Image Storage and its multi-frame variants (PS3.4 B.5: 1.2.840.10008.5.1.4.1.1.7[.1-.4]). */
    static final String SECONDARY_CAPTURE_ROOT = "1.2.840.10008.5.1.4.1.1.7";

    private BurnedInRisk() {
    }

    /** Why this instance is at risk, or empty when it is a primary image without declared annotation. */
    public static Optional<String> of(Dataset ds, String sopClassUid) {
        String burnedIn = ds.getString(Tag.BurnedInAnnotation);
        if (burnedIn != null && !burnedIn.isBlank() && !burnedIn.trim().equalsIgnoreCase("NO")) {
            return Optional.of("BurnedInAnnotation is not NO");
        }
        if (sopClassUid != null && (sopClassUid.equals(SECONDARY_CAPTURE_ROOT) || sopClassUid.startsWith(SECONDARY_CAPTURE_ROOT + "."))) {
            return Optional.of("secondary capture SOP class");
        }
        String[] type = ds.getStrings(Tag.ImageType);
        if (type != null && type.length >= 2 && "DERIVED".equals(upper(type[0])) && "SECONDARY".equals(upper(type[1]))) {
            return Optional.of("ImageType DERIVED\\SECONDARY (screen capture)");
        }
        return Optional.empty();
    }

    private static String upper(String s) {
        return s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    }
}
