package org.cxr.dicom;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transfer syntax and how it encodes a dataset. Unknown UIDs are treated as the standard says
 * for any new syntax: explicit VR little endian with encapsulated pixel data.
 *
 * @param explicitVr  VRs are written in the data (false: implicit VR, from the dictionary)
 * @param bigEndian   binary values are big endian
 * @param deflated    the dataset after the file meta group is deflate-compressed
 * @param encapsulated pixel data is a sequence of compressed fragments
 * @param lossy       the pixel compression may lose information
 * @param known       one of the syntaxes listed here (not a guess from an unknown UID)
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated, boolean lossy, boolean known) {

    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    private static final Map<String, TransferSyntax> KNOWN = new LinkedHashMap<>();

    private static TransferSyntax add(String uid, String name, boolean explicit, boolean be, boolean deflated,
                                      boolean encapsulated, boolean lossy) {
        TransferSyntax ts = new TransferSyntax(uid, name, explicit, be, deflated, encapsulated, lossy, true);
        KNOWN.put(uid, ts);
        return ts;
    }

    public static final TransferSyntax ImplicitVRLittleEndian =
            add(IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian", false, false, false, false, false);
    public static final TransferSyntax ExplicitVRLittleEndian =
            add(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian", true, false, false, false, false);
    public static final TransferSyntax DeflatedExplicitVRLittleEndian =
            add(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, "Deflated Explicit VR Little Endian", true, false, true, false, false);
    public static final TransferSyntax ExplicitVRBigEndian =
            add(EXPLICIT_VR_BIG_ENDIAN, "Explicit VR Big Endian", true, true, false, false, false);
    public static final TransferSyntax JPEGBaseline =
            add(JPEG_BASELINE, "JPEG Baseline (Process 1)", true, false, false, true, true);
    public static final TransferSyntax JPEGExtended =
            add(JPEG_EXTENDED, "JPEG Extended (Process 2 and 4)", true, false, false, true, true);
    public static final TransferSyntax JPEGLossless =
            add(JPEG_LOSSLESS, "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, true, false);
    public static final TransferSyntax JPEGLosslessSV1 =
            add(JPEG_LOSSLESS_SV1, "JPEG Lossless, First-Order Prediction (Process 14, SV1)", true, false, false, true, false);
    public static final TransferSyntax JPEGLSLossless =
            add(JPEG_LS_LOSSLESS, "JPEG-LS Lossless", true, false, false, true, false);
    public static final TransferSyntax JPEGLSNearLossless =
            add(JPEG_LS_NEAR_LOSSLESS, "JPEG-LS Lossy (Near-Lossless)", true, false, false, true, true);
    public static final TransferSyntax JPEG2000Lossless =
            add(JPEG_2000_LOSSLESS, "JPEG 2000 (Lossless Only)", true, false, false, true, false);
    public static final TransferSyntax JPEG2000 =
            add(JPEG_2000, "JPEG 2000", true, false, false, true, true);
    public static final TransferSyntax RLELossless =
            add(RLE_LOSSLESS, "RLE Lossless", true, false, false, true, false);

    static {
        add("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 and 5) (Retired)", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection (Retired)", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.55", "JPEG Full Progression (Retired)", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.58", "JPEG Lossless (Process 15) (Retired)", true, false, false, true, false);
        add("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", true, false, false, true, false);
        add("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264", true, false, false, true, true);
        add("1.2.840.10008.1.2.4.201", "HTJ2K (Lossless Only)", true, false, false, true, false);
        add("1.2.840.10008.1.2.4.202", "HTJ2K with RPCL (Lossless Only)", true, false, false, true, false);
        add("1.2.840.10008.1.2.4.203", "HTJ2K", true, false, false, true, true);
        add("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, true, false);
    }

    private static final java.util.Set<String> CONVERTIBLE = java.util.Set.of(
            IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN,
            JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1, JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS,
            JPEG_2000_LOSSLESS, JPEG_2000, RLE_LOSSLESS);

    /**
     * UIDs of the syntaxes whose pixel data the platform's converter decodes (convert-service
     * {@code FrameDecoders.standard()}: the four native syntaxes and the nine of
     * {@code org.cxr.convert.domain.codec}; docs/codecs.md). The one list receivers consult, so a
     * DIMSE peer is never granted a syntax the converter would refuse.
     */
    public static java.util.Set<String> convertible() {
        return CONVERTIBLE;
    }

    /** The syntax of a UID; an unknown UID gives an explicit VR LE encapsulated syntax with known=false. */
    public static TransferSyntax forUid(String uid) {
        TransferSyntax ts = KNOWN.get(uid);
        return ts != null ? ts : new TransferSyntax(uid, "Unknown (" + uid + ")", true, false, false, true, true, false);
    }

    /** The syntaxes listed here. */
    public static Collection<TransferSyntax> all() {
        return Collections.unmodifiableCollection(KNOWN.values());
    }

    /** Native (uncompressed) pixel data. */
    public boolean isNative() {
        return !encapsulated;
    }

    @Override
    public String toString() {
        return name + " [" + uid + "]";
    }
}
