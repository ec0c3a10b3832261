package org.cxr.dicom;

import java.util.Arrays;
import java.util.List;

/**
 * One data element: tag, VR and value. The value is one of: bytes (a slice of the array the
 * dataset was read from, not a copy; byte order {@link #isBigEndian()}), items (SQ), or
 * {@link PixelData} (Pixel Data, and any other encapsulated value, read on demand).
 * Elements are immutable; {@link Dataset} getters interpret them.
 */
public final class DicomElement {
    private static final byte[] EMPTY = new byte[0];

    private final int tag;
    private final VR vr;
    private final byte[] buf;
    private final int off;
    private final int len;
    private final boolean bigEndian;
    private final List<Dataset> items;
    private final PixelData pixelData;
    private final String text;

    private DicomElement(int tag, VR vr, byte[] buf, int off, int len, boolean bigEndian, List<Dataset> items,
                         PixelData pixelData) {
        this(tag, vr, buf, off, len, bigEndian, items, pixelData, null);
    }

    private DicomElement(int tag, VR vr, byte[] buf, int off, int len, boolean bigEndian, List<Dataset> items,
                         PixelData pixelData, String text) {
        this.text = text;
        this.tag = tag;
        this.vr = vr;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.bigEndian = bigEndian;
        this.items = items;
        this.pixelData = pixelData;
    }

    /** An element whose value is {@code len} bytes of {@code buf} from {@code off} (not copied). */
    public static DicomElement ofBytes(int tag, VR vr, byte[] buf, int off, int len, boolean bigEndian) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IllegalArgumentException("slice " + off + "+" + len + " outside " + buf.length + " bytes");
        }
        return new DicomElement(tag, vr, buf, off, len, bigEndian, null, null);
    }

    /** An element whose value is all of {@code value} (little endian for binary VRs; not copied). */
    public static DicomElement ofBytes(int tag, VR vr, byte[] value) {
        return ofBytes(tag, vr, value == null ? EMPTY : value, 0, value == null ? 0 : value.length, false);
    }

    /**
     * A text element (SH, LO, ST, LT, UT, PN, UC) built from a string: it is encoded in the
     * character set of the dataset it is written in, so items built before being attached to their
     * parent get the parent's Specific Character Set. {@link #array()} etc. give its UTF-8 bytes.
     */
    public static DicomElement ofText(int tag, VR vr, String text) {
        if (!vr.usesCharacterSet()) {
            throw new IllegalArgumentException(vr + " is not a text VR");
        }
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new DicomElement(tag, vr, utf8, 0, utf8.length, false, null, null, text);
    }

    /** The string of an element made by {@link #ofText}, else null. */
    public String text() {
        return text;
    }

    /** A sequence element. */
    public static DicomElement ofItems(int tag, List<Dataset> items) {
        return new DicomElement(tag, VR.SQ, EMPTY, 0, 0, false, List.copyOf(items), null);
    }

    /** A pixel data (or other encapsulated/lazy) element. */
    public static DicomElement ofPixelData(int tag, VR vr, PixelData pixelData) {
        return new DicomElement(tag, vr, EMPTY, 0, 0, pixelData.isBigEndian(), null, pixelData);
    }

    public int tag() {
        return tag;
    }

    public VR vr() {
        return vr;
    }

    /** The keyword from the dictionary, or null. */
    public String keyword() {
        return ElementDictionary.keywordOf(tag);
    }

    public boolean isSequence() {
        return items != null;
    }

    public boolean isPixelData() {
        return pixelData != null;
    }

    /** Items of a sequence (empty list for other elements). */
    public List<Dataset> items() {
        return items == null ? List.of() : items;
    }

    /** The lazily read value of pixel data / encapsulated elements, or null. */
    public PixelData pixelData() {
        return pixelData;
    }

    /** Length of the byte value (0 for sequences and pixel data). */
    public int length() {
        return len;
    }

    public boolean isEmpty() {
        return items != null ? items.isEmpty() : pixelData == null && len == 0;
    }

    public boolean isBigEndian() {
        return bigEndian;
    }

    /** A copy of the value bytes as stored. */
    public byte[] bytes() {
        return Arrays.copyOfRange(buf, off, off + len);
    }

    /** The backing array of the value bytes (shared, do not modify); see {@link #offset()}. */
    public byte[] array() {
        return buf;
    }

    /** Offset of the value in {@link #array()}. */
    public int offset() {
        return off;
    }

    int u16(int i) {
        int a = buf[off + i] & 0xFF;
        int b = buf[off + i + 1] & 0xFF;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    int s32(int i) {
        int a = buf[off + i] & 0xFF;
        int b = buf[off + i + 1] & 0xFF;
        int c = buf[off + i + 2] & 0xFF;
        int d = buf[off + i + 3] & 0xFF;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }

    long s64(int i) {
        long hi = s32(bigEndian ? i : i + 4) & 0xFFFFFFFFL;
        long lo = s32(bigEndian ? i + 4 : i) & 0xFFFFFFFFL;
        return hi << 32 | lo;
    }

    @Override
    public String toString() {
        String kw = keyword();
        String v = items != null ? items.size() + " item(s)" : pixelData != null
                ? (pixelData.isEncapsulated() ? pixelData.fragments().size() + " fragment(s)" : pixelData.availableLength() + " bytes")
                : len + " bytes";
        return Tag.toString(tag) + " " + vr + (kw != null ? " " + kw : "") + ": " + v;
    }
}
