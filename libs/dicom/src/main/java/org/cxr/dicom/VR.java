package org.cxr.dicom;

/**
 * Value representations (PS3.5 §6.2). {@code longHeader}: explicit VR encoding uses 2 reserved
 * bytes and a 4-byte length; {@code bytesPerValue}: width of one binary value (for byte
 * swapping), 0 for strings and byte streams; {@code pad}: the byte that pads odd-length values.
 */
public enum VR {
    AE(false, 0, ' ', Kind.ASCII), AS(false, 0, ' ', Kind.ASCII), AT(false, 2, 0, Kind.BINARY),
    CS(false, 0, ' ', Kind.ASCII), DA(false, 0, ' ', Kind.ASCII), DS(false, 0, ' ', Kind.ASCII),
    DT(false, 0, ' ', Kind.ASCII), FD(false, 8, 0, Kind.BINARY), FL(false, 4, 0, Kind.BINARY),
    IS(false, 0, ' ', Kind.ASCII), LO(false, 0, ' ', Kind.TEXT), LT(false, 0, ' ', Kind.TEXT_SINGLE),
    OB(true, 0, 0, Kind.BYTES), OD(true, 8, 0, Kind.BINARY), OF(true, 4, 0, Kind.BINARY),
    OL(true, 4, 0, Kind.BINARY), OV(true, 8, 0, Kind.BINARY), OW(true, 2, 0, Kind.BINARY),
    PN(false, 0, ' ', Kind.TEXT), SH(false, 0, ' ', Kind.TEXT), SL(false, 4, 0, Kind.BINARY),
    SQ(true, 0, 0, Kind.SEQUENCE), SS(false, 2, 0, Kind.BINARY), ST(false, 0, ' ', Kind.TEXT_SINGLE),
    SV(true, 8, 0, Kind.BINARY), TM(false, 0, ' ', Kind.ASCII), UC(true, 0, ' ', Kind.TEXT),
    UI(false, 0, 0, Kind.ASCII), UL(false, 4, 0, Kind.BINARY), UN(true, 0, 0, Kind.BYTES),
    UR(true, 0, ' ', Kind.TEXT_SINGLE), US(false, 2, 0, Kind.BINARY), UT(true, 0, ' ', Kind.TEXT_SINGLE),
    UV(true, 8, 0, Kind.BINARY);

    /** How a value of this VR is interpreted. */
    public enum Kind {
        /** Default repertoire strings, multi-valued with backslash. */
        ASCII,
        /** Strings in the dataset's character set, multi-valued with backslash. */
        TEXT,
        /** Strings in the dataset's character set, single-valued (backslash is a character). */
        TEXT_SINGLE,
        /** Fixed-width numbers, byte order of the transfer syntax. */
        BINARY,
        /** Opaque bytes. */
        BYTES,
        /** Items. */
        SEQUENCE
    }

    private final boolean longHeader;
    private final int bytesPerValue;
    private final byte pad;
    private final Kind kind;

    VR(boolean longHeader, int bytesPerValue, int pad, Kind kind) {
        this.longHeader = longHeader;
        this.bytesPerValue = bytesPerValue;
        this.pad = (byte) pad;
        this.kind = kind;
    }

    /** Explicit VR encoding with 2 reserved bytes and a 32-bit length. */
    public boolean hasLongHeader() {
        return longHeader;
    }

    /** Width of one binary value, 0 for strings and opaque bytes. */
    public int bytesPerValue() {
        return bytesPerValue;
    }

    public byte padding() {
        return pad;
    }

    public Kind kind() {
        return kind;
    }

    /** Strings of any kind. */
    public boolean isString() {
        return kind == Kind.ASCII || kind == Kind.TEXT || kind == Kind.TEXT_SINGLE;
    }

    /** Strings decoded with the Specific Character Set (not the default repertoire). */
    public boolean usesCharacterSet() {
        return kind == Kind.TEXT || kind == Kind.TEXT_SINGLE;
    }

    /** The VR spelled by two bytes, or null when they are not a known VR. */
    public static VR of(int b0, int b1) {
        if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') {
            return null;
        }
        return BY_CODE[(b0 - 'A') * 26 + (b1 - 'A')];
    }

    /** The VR named by a two-letter code, or null. */
    public static VR of(String code) {
        return code == null || code.length() != 2 ? null : of(code.charAt(0), code.charAt(1));
    }

    private static final VR[] BY_CODE = new VR[26 * 26];

    static {
        for (VR vr : values()) {
            String n = vr.name();
            BY_CODE[(n.charAt(0) - 'A') * 26 + (n.charAt(1) - 'A')] = vr;
        }
    }
}
