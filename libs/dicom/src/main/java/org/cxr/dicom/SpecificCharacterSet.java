package org.cxr.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes and encodes text values (SH, LO, ST, LT, UT, PN, UC) in the character set named by
 * Specific Character Set (0008,0005). Supported: the default repertoire, the single-byte ISO_IR
 * sets (Latin 1-5 and 9, Cyrillic, Arabic, Greek, Hebrew, Thai, Katakana), UTF-8 (ISO_IR 192),
 * GB18030 and GBK. With ISO 2022 code extensions, Japanese (ISO 2022 IR 87/159) and Korean
 * (IR 149) use Java's ISO-2022 decoders; otherwise the first single-byte set is used and escape
 * sequences are dropped. Unknown terms fall back to ISO-8859-1, which never fails.
 */
public final class SpecificCharacterSet {
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(StandardCharsets.ISO_8859_1, false, "");
    public static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(StandardCharsets.UTF_8, false, "ISO_IR 192");

    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("ISO_IR 6", "ISO-8859-1"),
            Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO_IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"));

    private final Charset charset;
    private final boolean stripEscapes;
    private final String term;

    private SpecificCharacterSet(Charset charset, boolean stripEscapes, String term) {
        this.charset = charset;
        this.stripEscapes = stripEscapes;
        this.term = term;
    }

    /** The character set named by the values of (0008,0005); null or empty means the default repertoire. */
    public static SpecificCharacterSet of(String... terms) {
        if (terms == null || terms.length == 0) {
            return DEFAULT;
        }
        boolean extensions = false;
        String first = null;
        for (String raw : terms) {
            String t = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
            if (t.startsWith("ISO 2022")) {
                extensions = true;
                if (t.endsWith("IR 87") || t.endsWith("IR 159")) {
                    return forJava("ISO-2022-JP", raw);
                }
                if (t.endsWith("IR 149")) {
                    return forJava("ISO-2022-KR", raw);
                }
                t = "ISO_IR " + t.substring(t.lastIndexOf(' ') + 1);
            }
            if (first == null && !t.isEmpty()) {
                first = t;
            }
        }
        if (first == null) {
            return extensions ? new SpecificCharacterSet(StandardCharsets.ISO_8859_1, true, "") : DEFAULT;
        }
        String javaName = JAVA_NAMES.get(first);
        Charset cs = StandardCharsets.ISO_8859_1;
        if (javaName != null && Charset.isSupported(javaName)) {
            cs = Charset.forName(javaName);
        }
        if (cs.equals(StandardCharsets.UTF_8) && !extensions) {
            return UTF_8;
        }
        return new SpecificCharacterSet(cs, extensions, String.join("\\", terms));
    }

    private static SpecificCharacterSet forJava(String name, String term) {
        return Charset.isSupported(name)
                ? new SpecificCharacterSet(Charset.forName(name), false, term)
                : new SpecificCharacterSet(StandardCharsets.ISO_8859_1, true, term);
    }

    public Charset charset() {
        return charset;
    }

    /** The (0008,0005) value this set was made from; empty for the default repertoire. */
    public String term() {
        return term;
    }

    public String decode(byte[] b, int off, int len) {
        if (stripEscapes) {
            byte[] clean = new byte[len];
            int n = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] == 0x1B) { // ESC + intermediate bytes (0x20-0x2F) + final byte
                    i++;
                    while (i < off + len && b[i] >= 0x20 && b[i] <= 0x2F) {
                        i++;
                    }
                    continue;
                }
                clean[n++] = b[i];
            }
            return new String(clean, 0, n, charset);
        }
        return new String(b, off, len, charset);
    }

    public byte[] encode(String s) {
        return s.getBytes(charset);
    }

    @Override
    public String toString() {
        return term.isEmpty() ? "default repertoire" : term + " (" + charset.name() + ")";
    }
}
