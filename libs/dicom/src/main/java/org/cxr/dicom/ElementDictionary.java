package org.cxr.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard data dictionary: tag to VR and keyword, for implicit VR parsing and keyword look-up.
 * Loaded once from {@code dictionary.tsv} (generated from pydicom's dictionary, see NOTICE).
 */
public final class ElementDictionary {
    private static final class Holder {
        static final Map<Integer, Entry> BY_TAG = new HashMap<>(8192);
        static final Map<String, Integer> BY_KEYWORD = new HashMap<>(8192);
        /** Repeating-group entries: (tag & mask) == value. */
        static final List<Repeater> REPEATERS = new ArrayList<>();

        static {
            try (InputStream in = ElementDictionary.class.getResourceAsStream("dictionary.tsv")) {
                if (in == null) {
                    throw new IllegalStateException("dictionary.tsv missing from the classpath");
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    int t1 = line.indexOf('\t');
                    int t2 = line.indexOf('\t', t1 + 1);
                    String tag = line.substring(0, t1);
                    Entry e = new Entry(VR.valueOf(line.substring(t1 + 1, t2)), line.substring(t2 + 1));
                    if (tag.indexOf('x') < 0) {
                        int t = (int) Long.parseLong(tag, 16);
                        BY_TAG.put(t, e);
                        BY_KEYWORD.putIfAbsent(e.keyword, t);
                    } else {
                        int mask = (int) Long.parseLong(tag.replaceAll("[0-9A-F]", "F").replace('x', '0'), 16);
                        int value = (int) Long.parseLong(tag.replace('x', '0'), 16);
                        REPEATERS.add(new Repeater(mask, value, e));
                        BY_KEYWORD.putIfAbsent(e.keyword, value);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Entry(VR vr, String keyword) {
    }

    private record Repeater(int mask, int value, Entry entry) {
    }

    private ElementDictionary() {
    }

    private static Entry lookup(int tag) {
        Entry e = Holder.BY_TAG.get(tag);
        if (e != null) {
            return e;
        }
        for (Repeater r : Holder.REPEATERS) {
            if ((tag & r.mask) == r.value) {
                return r.entry;
            }
        }
        return null;
    }

    /**
     * The VR an implicit VR dataset implies for a tag: dictionary VR; UL for group lengths; LO for
     * private creators (gggg,0010-00FF); UN for unknown and private tags.
     */
    public static VR vrOf(int tag) {
        int element = tag & 0xFFFF;
        if (element == 0) {
            return VR.UL;
        }
        if (Tag.isPrivate(tag)) {
            return element >= 0x0010 && element <= 0x00FF ? VR.LO : VR.UN;
        }
        Entry e = lookup(tag);
        return e == null ? VR.UN : e.vr;
    }

    /** The keyword of a tag, or null when the tag is not in the dictionary. */
    public static String keywordOf(int tag) {
        if (Tag.isPrivate(tag)) {
            return null;
        }
        Entry e = lookup(tag);
        return e == null ? null : e.keyword;
    }

    /** The tag of a keyword, or -1 when unknown (repeating groups: the first group of the range). */
    public static int tagOf(String keyword) {
        Integer t = Holder.BY_KEYWORD.get(keyword);
        return t == null ? -1 : t;
    }
}
