package org.cxr.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.cxr.dicom.DicomException.Reason;

/**
 * Parses data elements from {@code b[0..end)}, the first {@code end} bytes of an input of
 * {@code total} bytes. Positions are input offsets. When a header value lies beyond {@code end}
 * (a file read by its prefix), {@link DicomReader.NeedMore} asks the caller for a longer prefix.
 * Every declared length is checked against what remains before it is used, so bad input ends in a
 * {@link DicomException} after at most one pass over the bytes.
 */
final class Parser {
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final byte[] b;
    private final int end;
    private final long total;
    private final ByteSource source;
    private final ReadLimits limits;
    private final boolean stopAtPixelData;
    private final List<String> warnings;

    long pos;
    boolean explicit;
    boolean bigEndian;
    private int elementCount;
    private boolean stopped;

    Parser(byte[] b, int end, long total, ByteSource source, ReadLimits limits, boolean stopAtPixelData,
           List<String> warnings) {
        this.b = b;
        this.end = end;
        this.total = total;
        this.source = source;
        this.limits = limits;
        this.stopAtPixelData = stopAtPixelData;
        this.warnings = warnings;
    }

    // ---- primitive reads -----------------------------------------------------------------

    private void need(long n) throws DicomException {
        if (pos + n > end) {
            if (pos + n <= total) {
                throw new DicomReader.NeedMore(pos + n);
            }
            throw new DicomException(Reason.TRUNCATED, "data ends after " + total + " bytes, inside an element", pos);
        }
    }

    private int u8(long p) {
        return b[(int) p] & 0xFF;
    }

    private int u16(long p) {
        return bigEndian ? u8(p) << 8 | u8(p + 1) : u8(p + 1) << 8 | u8(p);
    }

    private long u32(long p) {
        return bigEndian
                ? (long) u8(p) << 24 | u8(p + 1) << 16 | u8(p + 2) << 8 | u8(p + 3)
                : (long) u8(p + 3) << 24 | u8(p + 2) << 16 | u8(p + 1) << 8 | u8(p);
    }

    private int tagAt(long p) {
        return u16(p) << 16 | u16(p + 2);
    }

    int peekGroupLE() {
        return pos + 2 <= end ? u8(pos + 1) << 8 | u8(pos) : -1;
    }

    // ---- file meta -----------------------------------------------------------------------

    /** Group 0002 in explicit VR little endian, up to the first element of another group. */
    void parseMeta(Dataset meta) throws DicomException {
        boolean be = bigEndian;
        bigEndian = false;
        while (pos + 8 <= total) {
            need(8);
            if (u16(pos) != 0x0002) {
                break;
            }
            DicomElement e = parseElement(meta, 0, false);
            if (e != null) {
                meta.put(e);
            }
        }
        bigEndian = be;
    }

    // ---- datasets ------------------------------------------------------------------------

    Dataset parseTop() throws DicomException {
        Dataset ds = new Dataset();
        parseDataset(ds, -1, 0, true);
        return ds;
    }

    /**
     * Elements up to {@code endPos} (defined length), or up to an Item Delimitation Item
     * ({@code endPos} -1 in an item), or to the end of the data (top level).
     */
    private void parseDataset(Dataset ds, long endPos, int depth, boolean top) throws DicomException {
        while (!stopped) {
            if (endPos >= 0 && pos >= endPos) {
                return;
            }
            if (top && pos >= total) {
                return;
            }
            if (top && total - pos < 8) {
                warnings.add((total - pos) + " trailing bytes ignored");
                pos = total;
                return;
            }
            if (!top && endPos < 0 && pos + 8 > total) {
                throw new DicomException(Reason.TRUNCATED, "data ends inside an item of undefined length", pos);
            }
            need(8);
            int tag = tagAt(pos);
            if (tag == Tag.ItemDelimitationItem) {
                pos += 8;
                if (endPos < 0 && !top) {
                    return;
                }
                warnings.add("stray Item Delimitation Item at " + (pos - 8) + " ignored");
                continue;
            }
            if (tag == Tag.SequenceDelimitationItem) {
                if (!top) { // item without its delimiter: let the sequence see the delimiter
                    if (endPos < 0) {
                        warnings.add("item ended by a Sequence Delimitation Item at " + pos);
                        return;
                    }
                }
                warnings.add("stray Sequence Delimitation Item at " + pos + " ignored");
                pos += 8;
                continue;
            }
            if (tag == Tag.Item) { // stray item (seen in real files): skip it as pydicom does, when its length is defined
                long len = u32(pos + 4);
                long limit = endPos >= 0 ? endPos : total;
                if (len == UNDEFINED || len > limit - pos - 8) {
                    throw new DicomException(Reason.MALFORMED, "item tag (FFFE,E000) outside a sequence", pos);
                }
                warnings.add("stray item of " + len + " bytes outside a sequence at " + pos + " skipped");
                pos += 8 + len;
                continue;
            }
            DicomElement e = parseElement(ds, depth, top);
            if (e != null) {
                if (endPos >= 0 && pos > endPos) {
                    throw new DicomException(Reason.MALFORMED, "element " + Tag.toString(tag)
                            + " runs past the end of its item", pos);
                }
                ds.put(e);
            }
        }
    }

    /** One element at {@code pos} (not a delimiter); null when nothing is kept. */
    private DicomElement parseElement(Dataset ds, int depth, boolean top) throws DicomException {
        long start = pos;
        if (++elementCount > limits.maxElements()) {
            throw new DicomException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements", pos);
        }
        int tag = tagAt(pos);
        VR vr;
        long len;
        boolean explicitUn = false;
        VR dictVr = ElementDictionary.vrOf(tag);
        if (explicit) {
            VR v = VR.of(u8(pos + 4), u8(pos + 5));
            if (v == null) {
                // Not a VR: some writers switch to implicit VR for single elements
                vr = dictVr;
                len = u32(pos + 4);
                pos += 8;
                warnings.add("element " + Tag.toString(tag) + " at " + start + " has no valid VR: read as implicit VR");
            } else if (v.hasLongHeader()) {
                need(12);
                vr = v;
                len = u32(pos + 8);
                pos += 12;
            } else {
                vr = v;
                len = u16(pos + 6);
                pos += 8;
            }
            explicitUn = vr == VR.UN;
        } else {
            vr = dictVr;
            len = u32(pos + 4);
            pos += 8;
            if (tag == Tag.PixelData) {
                vr = ds.getInt(Tag.BitsAllocated, 0, 16) > 8 ? VR.OW : VR.OB;
            }
        }
        long remaining = total - pos;
        boolean pixelData = top && tag == Tag.PixelData;

        if (len == UNDEFINED) {
            if (vr == VR.SQ || vr == VR.UN && tag != Tag.PixelData) {
                return sequence(tag, -1, depth, explicitUn);
            }
            if (vr == VR.OB || vr == VR.OW || tag == Tag.PixelData) {
                PixelData px = scanFragments(vr == VR.UN ? VR.OB : vr, pixelData);
                return DicomElement.ofPixelData(tag, vr == VR.UN ? VR.OB : vr, px);
            }
            throw new DicomException(Reason.MALFORMED, "undefined length for " + vr + " element " + Tag.toString(tag), start);
        }

        if (len > remaining) {
            if (pixelData && (vr == VR.OB || vr == VR.OW || vr == VR.UN)) {
                warnings.add("pixel data declares " + len + " bytes but only " + remaining + " remain");
                PixelData px = PixelData.ofNative(source, vr, bigEndian, pos, len, remaining);
                pos = total;
                stopped = true;
                return DicomElement.ofPixelData(tag, vr, px);
            }
            throw new DicomException(Reason.TRUNCATED, "element " + Tag.toString(tag) + " declares " + len
                    + " bytes but only " + remaining + " remain", start);
        }
        if (vr == VR.SQ) {
            return sequence(tag, pos + len, depth, false);
        }
        if (explicitUn && dictVr == VR.SQ) {
            return sequence(tag, pos + len, depth, true);
        }
        if (pixelData) {
            VR pvr = vr == VR.UN ? VR.OW : vr;
            PixelData px = PixelData.ofNative(source, pvr, bigEndian, pos, len, remaining);
            pos += len;
            if (stopAtPixelData) {
                stopped = true;
            }
            return DicomElement.ofPixelData(tag, pvr, px);
        }
        if (len > limits.maxElementLength()) {
            throw new DicomException(Reason.TOO_LARGE, "element " + Tag.toString(tag) + " of " + len + " bytes", start);
        }
        need(len);
        if (explicitUn && dictVr != VR.UN && (dictVr.isString() || !bigEndian)) {
            vr = dictVr; // UN of a known tag: the value is encoded as implicit VR LE would encode it
        }
        DicomElement e = DicomElement.ofBytes(tag, vr, b, (int) pos, (int) len, bigEndian && vr != VR.UN);
        pos += len;
        return e;
    }

    // ---- sequences -----------------------------------------------------------------------

    /** Items up to {@code endPos}, or to the Sequence Delimitation Item when -1. {@code implicitLE}: UN content. */
    private DicomElement sequence(int tag, long endPos, int depth, boolean implicitLE) throws DicomException {
        if (depth + 1 > limits.maxDepth()) {
            throw new DicomException(Reason.TOO_LARGE, "sequences nested deeper than " + limits.maxDepth(), pos);
        }
        boolean savedExplicit = explicit;
        boolean savedBig = bigEndian;
        if (implicitLE) {
            explicit = false;
            bigEndian = false;
        }
        List<Dataset> items = new ArrayList<>();
        try {
            while (true) {
                if (endPos >= 0 && pos >= endPos) {
                    break;
                }
                if (pos + 8 > total) {
                    throw new DicomException(Reason.TRUNCATED, "data ends inside sequence " + Tag.toString(tag)
                            + (endPos < 0 ? " (no Sequence Delimitation Item)" : ""), pos);
                }
                need(8);
                int itemTag = tagAt(pos);
                long len = u32(pos + 4);
                if (itemTag == Tag.SequenceDelimitationItem) {
                    pos += 8;
                    if (endPos >= 0) {
                        warnings.add("Sequence Delimitation Item inside defined-length sequence " + Tag.toString(tag));
                        pos = Math.max(pos, endPos);
                    }
                    break;
                }
                if (itemTag == Tag.ItemDelimitationItem) {
                    warnings.add("stray Item Delimitation Item in sequence " + Tag.toString(tag) + " ignored");
                    pos += 8;
                    continue;
                }
                if (itemTag != Tag.Item) {
                    throw new DicomException(Reason.MALFORMED, "expected an item in sequence " + Tag.toString(tag)
                            + ", found " + Tag.toString(itemTag), pos);
                }
                if (items.size() >= limits.maxItems()) {
                    throw new DicomException(Reason.TOO_LARGE, "more than " + limits.maxItems() + " items in sequence "
                            + Tag.toString(tag), pos);
                }
                pos += 8;
                Dataset item = new Dataset();
                if (len == UNDEFINED) {
                    parseDataset(item, -1, depth + 1, false);
                } else {
                    if (len > total - pos) {
                        throw new DicomException(Reason.TRUNCATED, "item of " + len + " bytes in sequence "
                                + Tag.toString(tag) + " but only " + (total - pos) + " remain", pos - 8);
                    }
                    if (endPos >= 0 && pos + len > endPos) {
                        throw new DicomException(Reason.MALFORMED, "item of " + len + " bytes runs past the end of sequence "
                                + Tag.toString(tag), pos - 8);
                    }
                    long itemEnd = pos + len;
                    parseDataset(item, itemEnd, depth + 1, false);
                    pos = itemEnd;
                }
                items.add(item);
            }
        } finally {
            explicit = savedExplicit;
            bigEndian = savedBig;
        }
        return DicomElement.ofItems(tag, items);
    }

    // ---- encapsulated pixel data ---------------------------------------------------------

    private byte[] header8(long p) throws DicomException {
        if (p + 8 <= end) {
            byte[] h = new byte[8];
            System.arraycopy(b, (int) p, h, 0, 8);
            return h;
        }
        try {
            return source.read(p, 8);
        } catch (IOException e) {
            throw new DicomException(Reason.IO_ERROR, "cannot read pixel data item header: " + e.getMessage(), p, e);
        }
    }

    private static int le16(byte[] h, int i) {
        return (h[i] & 0xFF) | (h[i + 1] & 0xFF) << 8;
    }

    private static long le32(byte[] h, int i) {
        return (h[i] & 0xFFL) | (h[i + 1] & 0xFFL) << 8 | (h[i + 2] & 0xFFL) << 16 | (h[i + 3] & 0xFFL) << 24;
    }

    /**
     * Walks the items of encapsulated pixel data from {@code pos}: the Basic Offset Table, then the
     * fragments up to the Sequence Delimitation Item. Only item headers are read. Data that ends
     * early gives an incomplete {@link PixelData}, not an exception.
     */
    private PixelData scanFragments(VR vr, boolean topLevelPixelData) throws DicomException {
        long p = pos;
        long[] bot = new long[0];
        List<PixelData.Fragment> fragments = new ArrayList<>();
        boolean complete = false;
        if (p + 8 > total) {
            warnings.add("encapsulated pixel data ends before its offset table");
            pos = total;
            stopped = true;
            return PixelData.ofEncapsulated(source, vr, bot, fragments, false);
        }
        byte[] h = header8(p);
        int t = le16(h, 0) << 16 | le16(h, 2);
        if (t != Tag.Item) {
            throw new DicomException(Reason.MALFORMED, "encapsulated pixel data does not start with an item", p);
        }
        long botLen = le32(h, 4);
        if (botLen == UNDEFINED || botLen % 4 != 0 || botLen / 4 > limits.maxFragments()) {
            throw new DicomException(Reason.MALFORMED, "invalid Basic Offset Table length " + botLen, p);
        }
        if (botLen > total - p - 8) {
            warnings.add("encapsulated pixel data ends inside its offset table");
            pos = total;
            stopped = true;
            return PixelData.ofEncapsulated(source, vr, bot, fragments, false);
        }
        if (botLen > 0) {
            byte[] table;
            if (p + 8 + botLen <= end) {
                table = java.util.Arrays.copyOfRange(b, (int) p + 8, (int) (p + 8 + botLen));
            } else {
                try {
                    table = source.read(p + 8, (int) botLen);
                } catch (IOException e) {
                    throw new DicomException(Reason.IO_ERROR, "cannot read offset table: " + e.getMessage(), p, e);
                }
            }
            bot = new long[(int) (botLen / 4)];
            for (int i = 0; i < bot.length; i++) {
                bot[i] = le32(table, i * 4);
            }
        }
        p += 8 + botLen;
        long firstItem = p;
        while (true) {
            if (p + 8 > total) {
                warnings.add("encapsulated pixel data ends without a Sequence Delimitation Item");
                p = total;
                break;
            }
            h = header8(p);
            t = le16(h, 0) << 16 | le16(h, 2);
            long len = le32(h, 4);
            if (t == Tag.SequenceDelimitationItem) {
                p += 8;
                complete = true;
                break;
            }
            if (t != Tag.Item) {
                throw new DicomException(Reason.MALFORMED, "expected a fragment item in encapsulated pixel data, found "
                        + Tag.toString(t), p);
            }
            if (len == UNDEFINED) {
                throw new DicomException(Reason.MALFORMED, "fragment of undefined length", p);
            }
            if (fragments.size() >= limits.maxFragments()) {
                throw new DicomException(Reason.TOO_LARGE, "more than " + limits.maxFragments() + " fragments", p);
            }
            if (len > total - p - 8) {
                long avail = total - p - 8;
                warnings.add("last fragment declares " + len + " bytes but only " + avail + " remain");
                fragments.add(new PixelData.Fragment(p + 8, (int) avail, p - firstItem));
                p = total;
                break;
            }
            if (len > Integer.MAX_VALUE - 8) {
                throw new DicomException(Reason.TOO_LARGE, "fragment of " + len + " bytes", p);
            }
            fragments.add(new PixelData.Fragment(p + 8, (int) len, p - firstItem));
            p += 8 + len;
        }
        pos = p;
        stopped = !complete || topLevelPixelData && stopAtPixelData;
        return PixelData.ofEncapsulated(source, vr, bot, fragments, complete);
    }
}
