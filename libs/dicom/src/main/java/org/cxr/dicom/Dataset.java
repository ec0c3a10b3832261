package org.cxr.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * An ordered set of data elements (a dataset, a sequence item, or the file meta group), with typed
 * getters. Text values are decoded with the Specific Character Set of this dataset or, for items,
 * the nearest enclosing dataset that has one. Getters never throw on bad values: a malformed
 * IS/DS ("1A") gives an empty Optional from {@link #getInt}, and {@link #getString} gives the raw text.
 * Not thread-safe for modification; safe to read from many threads once built.
 */
public final class Dataset {
    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);
    private Dataset parent;
    private SpecificCharacterSet charset;

    public Dataset() {
    }

    /** Elements in tag order. */
    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** The element, or null. */
    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    /** The enclosing dataset of an item, or null. */
    public Dataset parent() {
        return parent;
    }

    /** Adds or replaces an element; items of a sequence get this dataset as their parent. */
    public Dataset put(DicomElement e) {
        elements.put(e.tag(), e);
        for (Dataset item : e.items()) {
            item.parent = this;
        }
        if (e.tag() == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return this;
    }

    /** Removes an element; returns it or null. */
    public DicomElement remove(int tag) {
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return elements.remove(tag);
    }

    /** Removes all elements of a group (e.g. curves, overlays, or a private group). */
    public void removeGroup(int group) {
        elements.keySet().removeIf(t -> t >>> 16 == group);
    }

    /** Removes the elements that match (e.g. {@code e -> Tag.isPrivate(e.tag())}); items are not searched. */
    public void removeIf(java.util.function.Predicate<DicomElement> filter) {
        elements.values().removeIf(filter);
        charset = null;
    }

    /** The character set for text values of this dataset. */
    public SpecificCharacterSet characterSet() {
        SpecificCharacterSet cs = charset; // cached only when this dataset has its own (0008,0005)
        if (cs != null) {
            return cs;
        }
        DicomElement e = elements.get(Tag.SpecificCharacterSet);
        if (e == null) {
            return parent != null ? parent.characterSet() : SpecificCharacterSet.DEFAULT;
        }
        cs = SpecificCharacterSet.of(splitValues(ascii(e)));
        charset = cs;
        return cs;
    }

    // ---- strings -------------------------------------------------------------------------

    /**
     * The value as text, all values joined by backslashes as stored, without leading/trailing
     * spaces and NULs (LT/ST/UT/UR keep leading spaces); null when absent or not a string VR.
     * Binary VRs (US, UL, ...) give their numbers joined by backslashes.
     */
    public String getString(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.isSequence() || e.isPixelData()) {
            return null;
        }
        VR vr = e.vr();
        if (vr.kind() == VR.Kind.BINARY) {
            return binaryAsString(e);
        }
        if (vr.kind() == VR.Kind.BYTES) {
            return null;
        }
        String s = e.text() != null ? e.text() : vr.usesCharacterSet()
                ? characterSet().decode(e.array(), e.offset(), e.length())
                : ascii(e);
        return vr.kind() == VR.Kind.TEXT_SINGLE ? stripTrailing(s) : strip(s);
    }

    /** {@link #getString(int)} or {@code def} when absent. */
    public String getString(int tag, String def) {
        String s = getString(tag);
        return s == null ? def : s;
    }

    /** The values of a multi-valued string, each trimmed; empty array when absent. */
    public String[] getStrings(int tag) {
        String s = getString(tag);
        if (s == null) {
            return new String[0];
        }
        DicomElement e = elements.get(tag);
        if (e.vr().kind() == VR.Kind.TEXT_SINGLE) {
            return new String[]{s};
        }
        String[] parts = splitValues(s);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = strip(parts[i]);
        }
        return parts;
    }

    // ---- numbers -------------------------------------------------------------------------

    /**
     * The first value as an int: US/SS/UL/SL (UL/UV/SV values beyond int range are empty), or
     * IS/DS text that parses exactly (surrounding spaces allowed; DS must be integral). Empty when
     * absent, empty or not a valid number.
     */
    public OptionalInt getInt(int tag) {
        return getInt(tag, 0);
    }

    /** Value number {@code index} (0-based) as an int; see {@link #getInt(int)}. */
    public OptionalInt getInt(int tag, int index) {
        DicomElement e = elements.get(tag);
        if (e == null || e.isSequence() || e.isPixelData()) {
            return OptionalInt.empty();
        }
        switch (e.vr()) {
            case US: case SS: case UL: case SL: case SV: case UV: case AT: {
                int w = e.vr().bytesPerValue();
                if ((index + 1) * w > e.length()) {
                    return OptionalInt.empty();
                }
                long v = switch (e.vr()) {
                    case US -> e.u16(index * 2);
                    case SS -> (short) e.u16(index * 2);
                    case UL -> e.s32(index * 4) & 0xFFFFFFFFL;
                    case SL -> e.s32(index * 4);
                    case AT -> (long) e.u16(index * 4) << 16 | e.u16(index * 4 + 2);
                    default -> e.s64(index * 8);
                };
                if (e.vr() == VR.UV && v < 0 || v > Integer.MAX_VALUE && e.vr() != VR.AT || v < Integer.MIN_VALUE) {
                    return OptionalInt.empty();
                }
                return OptionalInt.of((int) v);
            }
            case IS: case DS: case FL: case FD: {
                OptionalDouble d = getDouble(tag, index);
                if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble())
                        || Math.abs(d.getAsDouble()) > Integer.MAX_VALUE) {
                    return OptionalInt.empty();
                }
                return OptionalInt.of((int) d.getAsDouble());
            }
            default:
                return OptionalInt.empty();
        }
    }

    /** The first value as an int, or {@code def}. */
    public int getInt(int tag, int index, int def) {
        OptionalInt v = getInt(tag, index);
        return v.isPresent() ? v.getAsInt() : def;
    }

    /** Value {@code index} as a double: DS/IS text, FL/FD, or any integer VR; empty when absent or unparseable. */
    public OptionalDouble getDouble(int tag, int index) {
        DicomElement e = elements.get(tag);
        if (e == null || e.isSequence() || e.isPixelData()) {
            return OptionalDouble.empty();
        }
        switch (e.vr()) {
            case FL:
                return (index + 1) * 4 > e.length() ? OptionalDouble.empty()
                        : OptionalDouble.of(Float.intBitsToFloat(e.s32(index * 4)));
            case FD:
                return (index + 1) * 8 > e.length() ? OptionalDouble.empty()
                        : OptionalDouble.of(Double.longBitsToDouble(e.s64(index * 8)));
            case IS: case DS: {
                String[] values = getStrings(tag);
                if (index >= values.length) {
                    return OptionalDouble.empty();
                }
                return parseDecimal(values[index]);
            }
            default: {
                OptionalInt i = getInt(tag, index);
                return i.isPresent() ? OptionalDouble.of(i.getAsInt()) : OptionalDouble.empty();
            }
        }
    }

    public OptionalDouble getDouble(int tag) {
        return getDouble(tag, 0);
    }

    /** Parses a DS/IS string strictly (digits, sign, point, exponent); empty on anything else. */
    public static OptionalDouble parseDecimal(String s) {
        String t = s == null ? "" : s.trim();
        if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(t));
    }

    // ---- sequences -----------------------------------------------------------------------

    /** Items of a sequence; empty list when absent or not a sequence. */
    public List<Dataset> getSequence(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /** The first item of a sequence, if any. */
    public Optional<Dataset> firstItem(int tag) {
        List<Dataset> items = getSequence(tag);
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    /** CodeMeaning (0008,0104) of the first item of a code sequence; null when absent. */
    public String codeMeaning(int sequenceTag) {
        return firstItem(sequenceTag).map(i -> i.getString(Tag.CodeMeaning)).orElse(null);
    }

    /** Top-level pixel data (the value of (7FE0,0010)), or null. */
    public PixelData pixelData() {
        DicomElement e = elements.get(Tag.PixelData);
        return e == null ? null : e.pixelData();
    }

    // ---- building ------------------------------------------------------------------------

    /** Sets a string value (multiple values: join with backslash); text VRs are encoded in this dataset's character set. */
    public Dataset putString(int tag, VR vr, String value) {
        if (!vr.isString()) {
            throw new IllegalArgumentException(vr + " is not a string VR");
        }
        if (vr.usesCharacterSet()) {
            return put(DicomElement.ofText(tag, vr, value));
        }
        return put(DicomElement.ofBytes(tag, vr, value.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Sets a string value with the dictionary VR of the tag. */
    public Dataset putString(int tag, String value) {
        return putString(tag, ElementDictionary.vrOf(tag), value);
    }

    /** Sets integer values (US, SS, UL, SL, IS, DS, AT, FL, FD, SV, UV). */
    public Dataset putInt(int tag, VR vr, int... values) {
        if (vr == VR.IS || vr == VR.DS) {
            StringBuilder sb = new StringBuilder();
            for (int v : values) {
                sb.append(sb.length() > 0 ? "\\" : "").append(v);
            }
            return putString(tag, vr, sb.toString());
        }
        int w = vr.bytesPerValue();
        if (vr.kind() != VR.Kind.BINARY || w == 0) {
            throw new IllegalArgumentException(vr + " is not a numeric VR");
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * w).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            switch (vr) {
                case US, SS -> bb.putShort((short) v);
                case UL, SL, OL -> bb.putInt(v);
                case AT -> bb.putShort((short) (v >>> 16)).putShort((short) v);
                case FL, OF -> bb.putFloat(v);
                case FD, OD -> bb.putDouble(v);
                default -> bb.putLong(v);
            }
        }
        return put(DicomElement.ofBytes(tag, vr, bb.array()));
    }

    /** Sets an integer with the dictionary VR of the tag. */
    public Dataset putInt(int tag, int value) {
        return putInt(tag, ElementDictionary.vrOf(tag), value);
    }

    /** Sets a byte value (OB, UN, ...; OW etc. little endian). */
    public Dataset putBytes(int tag, VR vr, byte[] value) {
        return put(DicomElement.ofBytes(tag, vr, value));
    }

    /** Sets a sequence. */
    public Dataset putSequence(int tag, List<Dataset> items) {
        return put(DicomElement.ofItems(tag, items));
    }

    /** Sets a sequence of one item with CodeValue, CodingSchemeDesignator and CodeMeaning. */
    public Dataset putCode(int sequenceTag, String codeValue, String scheme, String meaning) {
        Dataset item = new Dataset();
        item.putString(Tag.CodeValue, VR.SH, codeValue);
        item.putString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.putString(Tag.CodeMeaning, VR.LO, meaning);
        return putSequence(sequenceTag, List.of(item));
    }

    /** Sets Pixel Data (7FE0,0010). */
    public Dataset putPixelData(VR vr, PixelData pixelData) {
        return put(DicomElement.ofPixelData(Tag.PixelData, vr, pixelData));
    }

    /** A deep-enough copy: new element map and item datasets; value bytes and pixel data are shared (they are immutable). */
    public Dataset copy() {
        Dataset d = new Dataset();
        for (DicomElement e : elements.values()) {
            if (e.isSequence()) {
                List<Dataset> items = new ArrayList<>();
                for (Dataset item : e.items()) {
                    items.add(item.copy());
                }
                d.put(DicomElement.ofItems(e.tag(), items));
            } else {
                d.put(e);
            }
        }
        return d;
    }

    /** The value bytes as they are written in this dataset (text elements encoded in its character set). */
    public byte[] encodedValue(DicomElement e) {
        return e.text() != null ? characterSet().encode(e.text()) : e.bytes();
    }

    // ---- helpers -------------------------------------------------------------------------

    private static String binaryAsString(DicomElement e) {
        int w = e.vr().bytesPerValue();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + w <= e.length() && i < 64 * w; i += w) {
            if (sb.length() > 0) {
                sb.append('\\');
            }
            switch (e.vr()) {
                case US -> sb.append(e.u16(i));
                case SS -> sb.append((short) e.u16(i));
                case UL, OL -> sb.append(e.s32(i) & 0xFFFFFFFFL);
                case SL -> sb.append(e.s32(i));
                case FL, OF -> sb.append(Float.intBitsToFloat(e.s32(i)));
                case FD, OD -> sb.append(Double.longBitsToDouble(e.s64(i)));
                case AT -> sb.append(Tag.toString(e.u16(i) << 16 | e.u16(i + 2)));
                case UV -> sb.append(Long.toUnsignedString(e.s64(i)));
                default -> sb.append(w == 8 ? e.s64(i) : w == 4 ? e.s32(i) : e.u16(i));
            }
        }
        return sb.toString();
    }

    private static String ascii(DicomElement e) {
        return new String(e.array(), e.offset(), e.length(), StandardCharsets.ISO_8859_1);
    }

    static String[] splitValues(String s) {
        return s.split("\\\\", -1);
    }

    private static boolean isPad(char c) {
        return c == ' ' || c == '\0';
    }

    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (isPad(s.charAt(a)) || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && isPad(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    static String stripTrailing(String s) {
        int b = s.length();
        while (b > 0 && isPad(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(0, b);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (DicomElement e : elements.values()) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
