package org.cxr.generator.image;

import java.util.Locale;

/** The transfer syntaxes the generator encodes, with their share of the instances that may use them. */
public enum EncodedSyntax {
    EXPLICIT_VR_LE("1.2.840.10008.1.2.1", "explicit", 40, false),
    IMPLICIT_VR_LE("1.2.840.10008.1.2", "implicit", 20, false),
    // Rare: libs/dicom deflates at the default level, about 1 s of CPU for a full-size 16-bit image.
    DEFLATED_EXPLICIT_VR_LE("1.2.840.10008.1.2.1.99", "deflated", 3, false),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "rle", 27, true),
    /** Lossy, 8-bit images only. */
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", "jpeg", 10, true);

    private final String uid;
    private final String cliName;
    private final int weight;
    private final boolean encapsulated;

    EncodedSyntax(String uid, String cliName, int weight, boolean encapsulated) {
        this.uid = uid;
        this.cliName = cliName;
        this.weight = weight;
        this.encapsulated = encapsulated;
    }

    public String uid() {
        return uid;
    }

    /** The short name used on the command line and in the manifest's column. */
    public String cliName() {
        return cliName;
    }

    public int weight() {
        return weight;
    }

    public boolean encapsulated() {
        return encapsulated;
    }

    /** Whether the file size is known from the image size (no compression). */
    public boolean uncompressed() {
        return this == EXPLICIT_VR_LE || this == IMPLICIT_VR_LE;
    }

    public static EncodedSyntax ofCliName(String name) {
        for (EncodedSyntax s : values()) {
            if (s.cliName.equals(name.toLowerCase(Locale.ROOT)) || s.uid.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown transfer syntax '" + name
                + "' (one of explicit, implicit, deflated, rle, jpeg or a UID)");
    }
}
