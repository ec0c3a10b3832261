package org.cxr.ingest.domain.deid;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.cxr.ingest.domain.deid.Tokens.Kind;

/**
 * Replaces protected health information in report text by {@code ___}, as MIMIC-CXR does: person
 * names (after titles, before credentials, after naming cues such as "discussed with" or
 * "Radiologist:", census names that are not ordinary words, and the patient's own name tokens in
 * any case), dates in every common form (numeric, ISO, month names, with and without year; "March"
 * and "May" only next to a day or year), ages of 90 and over, phone/pager/fax numbers, SSNs, MRNs,
 * accession and other identifier numbers (after a cue, or five digits and more), street addresses
 * with their city, state and ZIP code, e-mail addresses, URLs and institution names. Clinical text
 * survives: sizes ("1.5 cm"), levels ("T10"), times of day, counts, laterality, eponyms (Kerley B
 * lines, Swan-Ganz, Hodgkin) and ordinary words that are also surnames ("White", "Hill") unless a
 * naming cue stands before them.
 * <p>
 * The text is cut into tokens once ({@link Tokens}); every rule looks at a window of at most a few
 * tokens around one position, and the masked characters are marked in a bit set before the output
 * is written once: time and memory are linear in the text's length whatever it contains (no
 * regular expression runs over the text, so nothing can backtrack).
 */
public final class ReportScrubber {
    public static final String MASK = "___";
    private static final int MAX_NAME_TOKENS = 5;

    private final Tokens t;
    private final BitSet mask;
    private final boolean[] capsLine;
    private final Predicate<String> patientNameToken;
    private final Map<String, Boolean> patientCache = new HashMap<>();
    /** Tokens masked as (parts of) person names: their initials and particles follow them. */
    private final BitSet nameTokens = new BitSet();

    private ReportScrubber(String text, Predicate<String> patientNameToken) {
        this.t = new Tokens(text);
        this.mask = new BitSet(text.length());
        this.capsLine = capsLines(t);
        this.patientNameToken = patientNameToken;
    }

    /** Scrubs with the generic rules only (the patient's name is unknown). */
    public static String scrub(String text) {
        return scrub(text, w -> false);
    }

    /**
     * @param patientNameToken true for a word that is a token of this patient's name (any case; the
     *                         caller checks it against keyed digests: ingest stores no names)
     */
    public static String scrub(String text, Predicate<String> patientNameToken) {
        return run(text, patientNameToken).render();
    }

    /** The characters {@link #scrub} replaces, for measuring it against gold spans. */
    public static BitSet masked(String text, Predicate<String> patientNameToken) {
        return (BitSet) run(text, patientNameToken).mask.clone();
    }

    private static ReportScrubber run(String text, Predicate<String> patientNameToken) {
        ReportScrubber s = new ReportScrubber(text, patientNameToken);
        s.chunks();
        for (int i = 0; i < s.t.size(); i++) {
            s.at(i);
        }
        s.extendNames();
        return s;
    }

    /** Initials and particles next to a masked name belong to it ("Yoshida, Octavia A", "van den Heuvel"). */
    private void extendNames() {
        for (int i = nameTokens.nextSetBit(0); i >= 0; i = nameTokens.nextSetBit(i + 1)) {
            for (int dir = -1; dir <= 1; dir += 2) {
                int j = i;
                for (int k = 0; k < 4; k++) {
                    int n = dir > 0 ? t.next(j) : t.prev(j);
                    if (n >= 0 && (t.punct(n, '.') || t.punct(n, ',') && k == 0 && dir > 0)) {
                        n = dir > 0 ? t.next(n) : t.prev(n);
                    }
                    if (n < 0 || !t.is(n, Kind.WORD)) {
                        break;
                    }
                    boolean initial = t.length(n) == 1 && Character.isUpperCase(t.first(n))
                            && !(t.punct(n + 1, '.') && t.is(n + 2, Kind.WORD) && t.length(n + 2) == 1) // M.D., R.N.
                            && !(t.prev(n) >= 0 && t.punct(t.prev(n), '.') && t.is(t.prev(t.prev(n)), Kind.WORD)
                                && t.length(t.prev(t.prev(n))) == 1 && dir > 0 && k > 0);
                    boolean particle = PARTICLES.contains(t.lower(n)) && (dir < 0 || nameTokens.get(t.next(n)));
                    if (!initial && !particle) {
                        break;
                    }
                    mark(Math.min(j, n), Math.max(j, n) + (initial && t.punct(n + 1, '.') && dir > 0 ? 1 : 0));
                    j = n;
                }
            }
        }
    }

    // ---- whitespace-separated chunks: e-mail addresses and URLs ---------------------------------

    private void chunks() {
        String s = t.text;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            int at = -1;
            int dotAfterAt = -1;
            boolean dot = false;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                char c = s.charAt(i);
                if (c == '@' && at < 0) {
                    at = i;
                } else if (c == '.') {
                    dot = true;
                    if (at >= 0 && dotAfterAt < 0) {
                        dotAfterAt = i;
                    }
                }
                i++;
            }
            int end = i;
            while (end > start && ".,;:)]>'\"".indexOf(s.charAt(end - 1)) >= 0) {
                end--; // sentence punctuation after the address
            }
            while (start < end && "(<['\"".indexOf(s.charAt(start)) >= 0) {
                start++;
            }
            if (end > start && (at > start && dotAfterAt > at + 1 && dotAfterAt < end - 1 || dot && url(s, start, end))) {
                mask.set(start, end);
            }
        }
    }

    private static final String[] URL_STARTS = {"http://", "https://", "www.", "ftp://"};
    private static final String[] TLDS = {".com", ".org", ".edu", ".net", ".gov", ".io", ".us", ".uk", ".ca", ".info",
            ".health", ".mil"};

    private static boolean url(String s, int start, int end) {
        String chunk = s.substring(start, end).toLowerCase(Locale.ROOT);
        for (String p : URL_STARTS) {
            if (chunk.startsWith(p)) {
                return true;
            }
        }
        for (String tld : TLDS) {
            int k = chunk.indexOf(tld);
            if (k > 0 && Character.isLetterOrDigit(chunk.charAt(k - 1))
                    && (k + tld.length() == chunk.length() || "/:?#".indexOf(chunk.charAt(k + tld.length())) >= 0)) {
                return true;
            }
        }
        return false;
    }

    // ---- one position ---------------------------------------------------------------------------

    private void at(int i) {
        switch (t.kind(i)) {
            case NUMBER -> number(i);
            case ALNUM -> alnum(i);
            case WORD -> word(i);
            default -> {
            }
        }
    }

    private void word(int i) {
        String w = t.lower(i);
        patientName(i);
        listName(i, w);
        wordAge(i, w);
        if (!TRIGGERS.contains(w)) {
            return; // most words frame nothing
        }
        if (ScrubLexicon.MONTHS_LONG.contains(w) || ScrubLexicon.MONTHS_SHORT.contains(w)) {
            month(i, w);
        }
        if (ScrubLexicon.TITLES.contains(w)) {
            int j = t.punct(i + 1, '.') ? i + 1 : i;
            int end = nameRun(t.next(j), true);
            while (end >= 0) {
                mark(t.next(j), end);
                int and = t.next(end);
                if (and >= 0 && (t.lower(and).equals("and") || t.punct(and, '&'))) {
                    j = and;
                    end = nameRun(t.next(and), true); // "Drs. Smith and Jones"
                } else {
                    break;
                }
            }
        }
        if (ScrubLexicon.CREDENTIALS.contains(w) || ScrubLexicon.COMMA_CREDENTIALS.contains(w) && commaBefore(i)) {
            credential(i);
        } else if (w.equals("d") && t.punct(i + 1, '.') && t.is(i - 1, Kind.PUNCT) && t.punct(i - 1, '.')
                && t.is(i - 2, Kind.WORD) && t.lower(i - 2).equals("m")) {
            credential(i - 2); // M.D.
        }
        if (ScrubLexicon.NAME_CUE_LAST.contains(w) && cueApplies(i, w) || w.equals("w") && t.punct(i - 1, '/')
                && t.is(i - 2, Kind.WORD) && t.lower(i - 2).equals("d")) {
            afterCue(i, Mode.CUE);
        }
        if (ScrubLexicon.NAME_LABELS.contains(w) && t.punct(i + 1, ':')) {
            afterCue(i + 1, Mode.LABEL);
            int p = t.prev(i);
            if (w.equals("by") && p >= 0 && TYPISTS.contains(t.lower(p))) {
                typistInitials(t.next(i + 1)); // "Transcribed by: jd", "A.M."
            }
        }
        if (ScrubLexicon.ROLE_TITLES.contains(w)) {
            int n = t.next(i);
            if (n >= 0 && (capitalised(n) || PARTICLES.contains(t.lower(n))) && !ScrubLexicon.TITLES.contains(t.lower(n))) {
                int end = nameRun(n, Mode.CUE); // "RN Jane Doe", "nurse Esperanza", "PA le Marchand"
                if (end >= 0) {
                    mark(n, end);
                }
            }
        }
        if (ADDRESS_LABELS.contains(w) && t.punct(i + 1, ':')) {
            addressLine(i + 1);
        }
        if (ScrubLexicon.INSTITUTION_HEADS.contains(w) && capitalised(i)) {
            institution(i, w);
        }
        if (ScrubLexicon.STREET_SUFFIXES.contains(w)) {
            address(i);
        }
        if (w.equals("box") && t.prev(i) >= 0 && Set.of("o", "po").contains(t.lower(t.prev(i)))) {
            int num = t.next(i);
            if (num >= 0 && t.is(num, Kind.NUMBER)) {
                mark(t.prev(i) - (t.punct(t.prev(i) - 1, '.') ? 2 : 0), num); // P.O. Box 123
            }
        }
        idCue(i, w);
    }

    // ---- numbers ------------------------------------------------------------------------------

    private void number(int i) {
        if (t.punct(i - 1, '.') && t.is(i - 2, Kind.NUMBER) || t.punct(i + 1, '.') && t.is(i + 2, Kind.NUMBER)
                && !t.punct(i + 3, '.')) {
            return; // a decimal number: a measurement
        }
        int digits = t.length(i);
        int v = digits <= 4 ? Integer.parseInt(t.text(i)) : -1;
        if (dateOrPhone(i)) {
            return;
        }
        if (digits >= 5) {
            mark(i, i); // identifier numbers (MRN, accession, ZIP, ...) and anything as long: never a measurement
            zipContext(i);
            return;
        }
        if (digits == 4 && v >= 1900 && v <= 2199 && !unitAfter(i)) {
            mark(i, i); // a year
            return;
        }
        if (v >= 90 && v <= 130 && age(i)) {
            mark(i, i);
        }
    }

    /** Numeric dates, SSNs and phone numbers starting at {@code i}; true when one was masked. */
    private boolean dateOrPhone(int i) {
        int d0 = t.length(i);
        char sep = t.is(i + 1, Kind.PUNCT) ? t.text.charAt(t.start(i + 1)) : 0;
        boolean sepOk = sep == '/' || sep == '-' || sep == '.';
        if (sepOk && t.is(i + 2, Kind.NUMBER)) {
            int d1 = t.length(i + 2);
            boolean third = t.punct(i + 3, sep) && t.is(i + 4, Kind.NUMBER);
            int d2 = third ? t.length(i + 4) : 0;
            if (third && (d0 == 4 && d1 <= 2 && d2 <= 2 || d0 <= 2 && d1 <= 2 && (d2 == 2 || d2 == 4))
                    || third && sep == '-' && d0 == 3 && d1 == 2 && d2 == 4 // SSN
                    || third && d0 == 3 && d1 == 3 && d2 == 4) { // 617-555-1234, 617.555.1234
                int end = i + 4;
                mark(phonePrefix(i), extension(end));
                return true;
            }
            if (!third && sep != '/' && d0 == 3 && d1 == 4 && !t.punct(i + 3, sep)) {
                mark(phonePrefix(i), extension(i + 2)); // 555-1234
                return true;
            }
            if (!third && sep == '/' && d0 <= 2 && d1 <= 2 && !t.punct(i - 1, '/') && !t.punct(i + 3, '/')) {
                int m = Integer.parseInt(t.text(i));
                int d = Integer.parseInt(t.text(i + 2));
                int after = t.next(i + 2);
                boolean fraction = after >= 0 && (t.lower(after).equals("of") || unitAfter(i + 2));
                if (m >= 1 && m <= 12 && d >= 1 && d <= 31 && !fraction) {
                    mark(i, i + 2); // month/day
                    return true;
                }
            }
            if (!third && (sep == '/' || sep == '-') && d0 <= 2 && d1 == 4 && !t.punct(i - 1, sep)) {
                int m = Integer.parseInt(t.text(i));
                int y = Integer.parseInt(t.text(i + 2));
                if (m >= 1 && m <= 12 && y >= 1900 && y <= 2199) {
                    mark(i, i + 2); // 07/2024
                    return true;
                }
            }
            if (!third && sep == '-' && d0 == 5 && d1 == 4) {
                mark(i, i + 2); // ZIP+4
                zipContext(i);
                return true;
            }
        }
        // (617) 555-1234
        if (d0 == 3 && t.punct(i - 1, '(') && t.punct(i + 1, ')')) {
            int j = t.next(i + 1);
            if (j >= 0 && t.is(j, Kind.NUMBER) && t.length(j) == 3 && t.is(j + 2, Kind.NUMBER) && t.length(j + 2) == 4
                    && (t.punct(j + 1, '-') || t.punct(j + 1, '.') || t.inlineSpace(j + 1))) {
                mark(i - 1, extension(j + 2));
                return true;
            }
        }
        // 617 555 1234, and an SSN written with blanks: 123 45 6789
        if (d0 == 3 && t.inlineSpace(i + 1) && t.is(i + 2, Kind.NUMBER) && (t.length(i + 2) == 3 || t.length(i + 2) == 2)
                && t.inlineSpace(i + 3) && t.is(i + 4, Kind.NUMBER) && t.length(i + 4) == 4) {
            mark(i, extension(i + 4));
            return true;
        }
        // digit groups joined by dashes: an identifier when long (12-3456-78)
        if (sep == '-' && t.is(i + 2, Kind.NUMBER) && !t.punct(i - 1, '-')) {
            int total = d0;
            int j = i;
            while (t.punct(j + 1, '-') && t.is(j + 2, Kind.NUMBER)) {
                j += 2;
                total += t.length(j);
            }
            if (total >= 7) {
                mark(i, j);
                return true;
            }
        }
        return false;
    }

    /** A leading "+1 " or "1-" of a phone number. */
    private int phonePrefix(int i) {
        if ((t.punct(i - 1, '-') || t.inlineSpace(i - 1)) && t.is(i - 2, Kind.NUMBER) && t.text(i - 2).equals("1")) {
            return t.punct(i - 3, '+') ? i - 3 : i - 2;
        }
        return t.punct(i - 1, '+') ? i - 1 : i;
    }

    /** Extends a phone number over ", ext. 1234" / " x1234". */
    private int extension(int end) {
        int j = t.next(end);
        if (j >= 0 && t.punct(j, ',')) {
            j = t.next(j);
        }
        if (j < 0) {
            return end;
        }
        String w = t.lower(j);
        if (t.is(j, Kind.ALNUM) && EXTENSION.matcher(w).matches()) {
            return j;
        }
        if (w.equals("x") || w.equals("ext") || w.equals("extension")) {
            int k = t.next(t.punct(j + 1, '.') ? j + 1 : j);
            if (k >= 0 && t.is(k, Kind.NUMBER)) {
                return k;
            }
        }
        return end;
    }

    /** "City, ST 02114": the state and city before a ZIP code (and the ZIP's own context). */
    private void zipContext(int zip) {
        int st = t.prev(zip);
        if (st < 0 || !t.is(st, Kind.WORD) || !ScrubLexicon.STATES.contains(t.lower(st)) || !capitalised(st)) {
            return;
        }
        int from = st;
        int c = t.prev(st);
        if (c >= 0 && t.punct(c, ',')) {
            c = t.prev(c);
        }
        for (int k = 0; k < 3 && c >= 0 && t.is(c, Kind.WORD) && capitalised(c) && !ScrubLexicon.STOP.contains(t.lower(c)); k++) {
            from = c; // the city: up to three capitalised words
            c = t.prev(c);
        }
        mark(from, zip);
    }

    private boolean unitAfter(int i) {
        int j = t.next(i);
        if (j < 0 || t.is(j, Kind.PUNCT) && t.text.charAt(t.start(j)) == '%') {
            return j >= 0;
        }
        return UNITS.contains(t.lower(j));
    }

    private static final Set<String> UNITS = Set.of("mm", "cm", "ml", "cc", "mg", "g", "kg", "hz", "mcg", "units",
            "unit", "meq", "mmol", "mmhg", "cm2", "x", "times", "patients", "cases", "images", "views", "ms", "sec",
            "minutes", "min", "hours", "hrs", "days");
    private static final java.util.regex.Pattern DOSE = java.util.regex.Pattern.compile("\\d+(mm|cm|ml|cc|mg|kg|g|mcg|hz|x)");
    private static final java.util.regex.Pattern EXTENSION = java.util.regex.Pattern.compile("x\\d{2,6}");
    private static final java.util.regex.Pattern ORDINAL = java.util.regex.Pattern.compile("\\d+(st|nd|rd|th)");
    private static final java.util.regex.Pattern DAY = java.util.regex.Pattern.compile("([1-9]|[12]\\d|3[01])(st|nd|rd|th)");

    /** "93-year-old", "93 yo", "93 y/o", "age 93", "aged 93", "93 years of age". */
    private boolean age(int i) {
        int p = t.prev(i);
        if (p >= 0 && t.punct(p, ':')) {
            p = t.prev(p);
        }
        if (p >= 0 && t.is(p, Kind.WORD) && (t.lower(p).equals("age") || t.lower(p).equals("aged"))) {
            return true;
        }
        int j = i + 1;
        if (t.punct(j, '-') || t.inlineSpace(j)) {
            j++;
        }
        if (!t.is(j, Kind.WORD)) {
            return false;
        }
        String w = t.lower(j);
        return w.startsWith("year") || w.startsWith("yr") || w.equals("yo") || w.equals("y") && (t.punct(j + 1, '/')
                || t.punct(j + 1, '.') || t.punct(j + 1, '-')) || w.equals("y-o");
    }

    private void alnum(int i) {
        String s = t.text(i);
        int digits = 0;
        for (int k = 0; k < s.length(); k++) {
            digits += Character.isDigit(s.charAt(k)) ? 1 : 0;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        var age = AGE_WORD.matcher(lower);
        if (age.matches()) {
            int v = Integer.parseInt(age.group(1));
            if (v >= 90 && v <= 130) {
                // 97yo: the number; 099Y (a DICOM age string): all of it
                mask.set(t.start(i), t.start(i) + (age.group(2).equals("y") ? lower.length() : age.end(1)));
            }
            return;
        }
        if (digits >= 4 && s.length() >= 5 && !DOSE.matcher(lower).matches()) {
            mark(i, i); // A99887766, ACC12345: an identifier
        } else if (EXTENSION_SHORT.matcher(lower).matches() && t.punct(i + 1, '-') && t.is(i + 2, Kind.NUMBER)) {
            mark(i, i + 2); // X5-5446
        }
    }

    private static final java.util.regex.Pattern AGE_WORD = java.util.regex.Pattern.compile("(\\d{2,3})(yo|y|yr|yrs|yof|yom|y/o)");
    private static final java.util.regex.Pattern EXTENSION_SHORT = java.util.regex.Pattern.compile("x\\d{1,3}");

    /** Ages of 90 and over written in words: "ninety-one-year-old", "ninety three years old", "one hundred". */
    private void wordAge(int i, String w) {
        if (!w.startsWith("ninety") && !w.startsWith("hundred") && !w.startsWith("one-hundred")) {
            return;
        }
        int cut = w.indexOf("-year");
        if (cut < 0) {
            cut = w.indexOf("-yr");
        }
        if (cut > 0) {
            mask.set(t.start(i), t.start(i) + cut);
            return;
        }
        int n = t.next(i);
        int start = i;
        int p = t.prev(i);
        if (w.startsWith("hundred") && p >= 0 && t.is(p, Kind.WORD) && t.lower(p).equals("one")) {
            start = p;
        }
        if (n >= 0 && t.is(n, Kind.WORD) && (t.lower(n).startsWith("year") || t.lower(n).startsWith("yr")
                || NUMBER_WORDS_UNITS.contains(t.lower(n)))) {
            mark(start, NUMBER_WORDS_UNITS.contains(t.lower(n)) ? n : i);
        }
    }

    private static final Set<String> NUMBER_WORDS_UNITS = Set.of("one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");

    // ---- dates with month names ------------------------------------------------------------------

    private void month(int i, String w) {
        int j = t.punct(i + 1, '.') ? i + 1 : i;
        int day = t.next(j);
        boolean dated = false;
        int from = i;
        int to = i;
        if (day >= 0 && dayNumber(day)) {
            to = day;
            dated = true;
            int k = t.next(day);
            if (k >= 0 && t.punct(k, ',')) {
                k = t.next(k);
            }
            if (k >= 0 && t.is(k, Kind.NUMBER) && t.length(k) == 4) {
                to = k;
            }
        } else {
            int k = day;
            if (k >= 0 && t.punct(k, ',')) {
                k = t.next(k);
            }
            if (k >= 0 && t.is(k, Kind.NUMBER) && t.length(k) == 4) {
                to = k; // March 2018
                dated = true;
            }
        }
        int before = t.prev(i);
        if (before >= 0 && t.is(before, Kind.WORD) && t.lower(before).equals("of")) {
            before = t.prev(before);
        }
        if (before >= 0 && dayNumber(before)) {
            from = before; // 4th of March, 4 March 2019
            dated = true;
        }
        boolean unambiguous = ScrubLexicon.MONTHS_LONG.contains(w) && !ScrubLexicon.MONTHS_AMBIGUOUS.contains(w) && capitalised(i);
        if (dated || unambiguous) {
            mark(from, to);
        }
    }

    private boolean dayNumber(int i) {
        String s = t.lower(i);
        if (t.is(i, Kind.NUMBER) && s.length() <= 2) {
            int d = Integer.parseInt(s);
            return d >= 1 && d <= 31;
        }
        return t.is(i, Kind.ALNUM) && DAY.matcher(s).matches();
    }

    // ---- numbers after an identifier cue -----------------------------------------------------------

    private static final Set<String> ID_CUES = Set.of("mrn", "mr", "accession", "acc", "acct", "account", "ssn", "pager",
            "beeper", "pgr", "phone", "tel", "telephone", "cell", "mobile", "fax", "ext", "extension", "callback",
            "contact");
    private static final Set<String> ID_CUES_NEED_NUMBER = Set.of("id", "unit", "order", "case", "exam", "record",
            "patient", "study", "visit", "encounter", "requisition", "security");

    private void idCue(int i, String w) {
        boolean cue = ID_CUES.contains(w);
        int j = t.next(i);
        if (!cue && ID_CUES_NEED_NUMBER.contains(w)) {
            // "ID: 12-345", "unit no. 55512", "order #1234", "social security number ..."
            if (j >= 0 && (t.punct(j, ':') || t.punct(j, '#'))) {
                cue = true;
            } else if (j >= 0 && t.is(j, Kind.WORD) && NUMBER_WORDS.contains(t.lower(j))) {
                cue = true;
                j = t.next(t.punct(j + 1, '.') ? j + 1 : j);
            }
        }
        if (!cue) {
            return;
        }
        for (int k = 0; k < 4 && j >= 0 && (t.is(j, Kind.PUNCT) && ":#.=".indexOf(t.text.charAt(t.start(j))) >= 0
                || t.is(j, Kind.WORD) && CUE_SKIP.contains(t.lower(j))); k++) {
            j = t.next(j);
        }
        if (j < 0 || !(t.is(j, Kind.NUMBER) || t.is(j, Kind.ALNUM) || t.punct(j, '('))) {
            return;
        }
        int end = j;
        int digits = 0;
        for (int k = j; k < t.size() && k - j < 12; k++) {
            if (t.is(k, Kind.NUMBER) || t.is(k, Kind.ALNUM)) {
                digits += t.length(k);
                end = k;
                continue;
            }
            boolean joined = t.is(k, Kind.PUNCT) && "-.()".indexOf(t.text.charAt(t.start(k))) >= 0
                    && (t.is(k + 1, Kind.NUMBER) || t.is(k + 1, Kind.ALNUM) || t.punct(k + 1, '('));
            boolean phoneGroup = t.inlineSpace(k) && t.is(k - 1, Kind.NUMBER) && t.is(k + 1, Kind.NUMBER)
                    && digits + t.length(k + 1) <= 12 && t.length(k + 1) <= 4; // 617 555 1234, 123 45 6789
            if (!joined && !phoneGroup) {
                break;
            }
        }
        if (digits >= 3) {
            mark(j, end);
        }
    }

    // ---- names ----------------------------------------------------------------------------------

    /** The patient's own name tokens, in any case, also inside hyphenated or apostrophe names. */
    private void patientName(int i) {
        String w = t.lower(i);
        if (w.length() < 2) {
            return;
        }
        if (patient(w)) {
            // a patient called May or White: the word in ordinary text ("may represent") stays
            if (!ScrubLexicon.ENGLISH.contains(w) || nextToName(i) || capitalised(i) && !capsLine[i]) {
                mark(i, i);
                nameTokens.set(i);
            }
            return;
        }
        int from = 0;
        for (int k = 0; k <= w.length(); k++) { // the parts of "doe-smith", "o'brien"
            if (k == w.length() || w.charAt(k) == '-' || w.charAt(k) == '\'' || w.charAt(k) == '\u2019') {
                if (from > 0 || k < w.length()) {
                    if (k - from >= 2 && patientSurname(i, w.substring(from, k))) {
                        mark(i, i);
                        nameTokens.set(i);
                        return;
                    }
                }
                from = k + 1;
            }
        }
        if (from == 0 && patientSurname(i, w)) {
            mark(i, i);
            nameTokens.set(i);
        }
    }

    /**
     * A part of a written surname that is the patient's in another spelling of its O'/Mc/Mac prefix:
     * "ODonoghue" or "O'Donoghue" for a PatientName O'Donoghue (token Donoghue) or ODonoghue, "Cormack"
     * of "Mc Cormack" for McCormack. A leading O is taken as a prefix only before a capital (ODonoghue,
     * ODONOGHUE), so an ordinary word that starts with o stays.
     */
    private boolean patientSurname(int i, String part) {
        if (patient(part)) {
            return true;
        }
        if (part.length() < 3) {
            return false;
        }
        String raw = t.text(i);
        boolean oPrefix = raw.length() > 2 && (raw.charAt(0) == 'O' || raw.charAt(0) == 'o') && Character.isUpperCase(raw.charAt(1));
        if (oPrefix && part.charAt(0) == 'o' && part.length() == t.length(i) && patient(part.substring(1))) {
            return true;
        }
        if (part.startsWith("mc") && patient(part.substring(2)) || part.startsWith("mac") && patient(part.substring(3))) {
            return true;
        }
        if (!capitalised(i)) {
            return false;
        }
        // the second word of "Mc Cormack" / "O Donoghue", or the same name with its prefix left out
        return patient("o" + part) || patient("mc" + part) || patient("mac" + part);
    }

    /** A patient token, an initial or a comma and a name within two tokens: the word is part of a written name. */
    private boolean nextToName(int i) {
        for (int n : new int[] {t.prev(i), t.next(i)}) {
            if (n >= 0 && t.punct(n, ',')) {
                n = n < i ? t.prev(n) : t.next(n);
            }
            if (n >= 0 && t.is(n, Kind.WORD) && (t.length(n) == 1 && Character.isUpperCase(t.first(n))
                    || patient(t.lower(n)) || ScrubLexicon.TITLES.contains(t.lower(n)))) {
                return true;
            }
        }
        return false;
    }

    private boolean patient(String lower) {
        return patientCache.computeIfAbsent(lower, patientNameToken::test);
    }

    /** Every word that starts a rule of {@link #word}: the others are only checked as names. */
    private static final Set<String> TRIGGERS = union(ScrubLexicon.MONTHS_LONG, ScrubLexicon.MONTHS_SHORT, ScrubLexicon.TITLES,
            ScrubLexicon.CREDENTIALS, ScrubLexicon.COMMA_CREDENTIALS, ScrubLexicon.NAME_CUE_LAST, ScrubLexicon.NAME_LABELS,
            ScrubLexicon.INSTITUTION_HEADS, ScrubLexicon.STREET_SUFFIXES, ID_CUES, ID_CUES_NEED_NUMBER, ScrubLexicon.ROLE_TITLES,
            Set.of("box", "w", "d", "address", "addr", "street", "residence", "home"));

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (Set<String> x : sets) {
            all.addAll(x);
        }
        return Set.copyOf(all);
    }

    private static final Set<String> CUE_OBJECTS = Set.of("findings", "results", "these", "this", "was", "were", "been");
    private static final Set<String> NUMBER_WORDS = Set.of("no", "number", "num", "nr", "id");
    private static final Set<String> CUE_SKIP = Set.of("no", "number", "num", "is", "at", "nr", "id");

    /** "discussed with", "called to", "signed by" ... but not "consistent with" or "due to". */
    private boolean cueApplies(int i, String w) {
        if (!w.equals("with") && !w.equals("to") && !w.equals("by")) {
            return true;
        }
        int v = t.prev(i);
        if (v >= 0 && t.is(v, Kind.WORD) && CUE_OBJECTS.contains(t.lower(v))) {
            v = t.prev(v);
        }
        return v >= 0 && t.is(v, Kind.WORD) && ScrubLexicon.NAME_CUE_VERBS.contains(t.lower(v)) && !t.lower(v).equals(w);
    }

    private static final Set<String> FILLERS = Set.of("the", "a", "an", "referring", "ordering", "covering", "primary",
            "on-call", "treating", "responsible", "attending", "resident", "fellow", "physician", "physician's", "clinician",
            "doctor", "provider", "nurse", "np", "pa", "rn", "radiologist", "surgeon", "intern", "house", "officer",
            "team", "care", "practitioner", "staff", "from", "of", "radiology", "cardiology", "surgery", "surgical",
            "medicine", "medical", "emergency", "department", "icu", "ed", "er", "floor", "service", "oncall", "call",
            "on", "at", "technologist", "tech", "charge", "nursing", "sonographer", "pcp", "his", "her", "their",
            "patient's", "daughter", "son", "wife", "husband", "mother", "father", "sister", "brother", "spouse",
            "partner", "niece", "nephew", "granddaughter", "grandson", "friend", "caregiver", "guardian", "office");

    /** After a naming cue: fillers ("the referring physician,") then a name. */
    private void afterCue(int i, Mode mode) {
        int j = t.next(i);
        for (int k = 0; k < 6 && j >= 0; k++) {
            if (t.is(j, Kind.PUNCT) && ",:-".indexOf(t.text.charAt(t.start(j))) >= 0 || t.is(j, Kind.WORD)
                    && FILLERS.contains(t.lower(j)) && !ScrubLexicon.TITLES.contains(t.lower(j))) {
                j = t.next(j);
            } else {
                break;
            }
        }
        if (j < 0 || t.is(j, Kind.WORD) && ScrubLexicon.TITLES.contains(t.lower(j))) {
            return; // the title rule takes it
        }
        int end = nameRun(j, mode);
        if (end >= 0) {
            mark(j, end);
        }
    }

    private static final Set<String> TYPISTS = Set.of("transcribed", "typed", "entered", "keyed");

    /** A transcriptionist's initials: up to three letters, with or without dots. */
    private void typistInitials(int j) {
        int end = -1;
        for (int k = 0; k < 6 && j >= 0 && (t.is(j, Kind.WORD) && t.length(j) <= 3 || t.punct(j, '.') && end >= 0); k++) {
            end = j;
            j = t.punct(j + 1, '.') ? j + 1 : t.next(j);
            if (t.is(end, Kind.WORD) && t.length(end) > 1 && !t.punct(end + 1, '.')) {
                break;
            }
        }
        if (end >= 0) {
            mark(t.punct(end, '.') ? end : end, end);
            int first = end;
            while (first > 0 && (t.is(first - 1, Kind.WORD) && t.length(first - 1) <= 3 || t.punct(first - 1, '.'))
                    && !t.punct(first - 1, ':')) {
                first--;
            }
            mark(first, end);
        }
    }

    private static final Set<String> ADDRESS_LABELS = Set.of("address", "addr", "street", "residence", "home");

    /** "ADDRESS: 12 Elm St, Springfield, MA 01103": everything up to the end of the line or the next label. */
    private void addressLine(int colon) {
        int j = t.next(colon);
        int first = j;
        int last = -1;
        while (j >= 0 && !(t.is(j, Kind.SPACE) && t.text(j).indexOf('\n') >= 0)) {
            if (t.is(j, Kind.WORD) && t.punct(j + 1, ':') && last >= 0) {
                break; // the next header field
            }
            if (!t.is(j, Kind.SPACE) && !(t.is(j, Kind.WORD) && t.punct(j + 1, ':'))) {
                last = j;
            }
            if (t.is(j + 1, Kind.SPACE) && t.length(j + 1) >= 3) {
                break; // a wide gap separates header fields
            }
            j++;
        }
        if (first >= 0 && last >= first) {
            mark(first, last);
        }
    }

    private static final Set<String> PARTICLES = Set.of("van", "von", "de", "der", "den", "del", "della", "di", "da", "du",
            "la", "le", "st", "ste", "mac", "mc", "bin", "al", "el", "ter", "ten", "dos", "das", "des", "vander", "van't");

    /**
     * The end of a person's name starting at {@code i} (given names, initials, particles, surnames,
     * hyphenated or with an apostrophe), or -1 when no name starts there.
     *
     * @param title after a title: any word that is not a stop word is a name
     */
    private int nameRun(int i, boolean title) {
        return nameRun(i, title ? Mode.TITLE : Mode.CUE);
    }

    /** How sure the context is that a name follows: after a title, after a label ("Resident:"), after a verb cue. */
    private enum Mode { TITLE, LABEL, CUE }

    private int nameRun(int i, Mode mode) {
        boolean title = mode == Mode.TITLE;
        int end = -1;
        int j = i;
        boolean inverted = false;
        boolean onlyParticles = true;
        for (int k = 0; k < MAX_NAME_TOKENS + 2 && j >= 0; k++) {
            if (t.punct(j, ',') && mode != Mode.TITLE && end >= 0 && !inverted && nameLike(t.next(j), Mode.LABEL)
                    && capitalised(t.next(j))) {
                inverted = true; // "Smith, John A"
                j = t.next(j);
                continue;
            }
            if (!t.is(j, Kind.WORD)) {
                break;
            }
            String w = t.lower(j);
            boolean initial = t.length(j) == 1 && Character.isUpperCase(t.first(j));
            onlyParticles &= PARTICLES.contains(w);
            if (initial) {
                end = t.punct(j + 1, '.') ? j + 1 : j;
            } else if (PARTICLES.contains(w) && (end >= 0 || onlyParticles)) {
                // "van der Berg": only inside a name or before one
                int after = t.next(t.punct(j + 1, '.') ? j + 1 : j);
                while (after >= 0 && t.is(after, Kind.WORD) && PARTICLES.contains(t.lower(after))) {
                    after = t.next(after);
                }
                if (!nameLike(after, mode)) {
                    break;
                }
            } else if (nameLike(j, mode)) {
                end = j;
                nameTokens.set(j);
            } else {
                break;
            }
            j = t.next(t.punct(j + 1, '.') && (initial || PARTICLES.contains(w)) ? j + 1 : j);
        }
        return end;
    }

    private boolean nameLike(int i, boolean title) {
        return nameLike(i, title ? Mode.TITLE : Mode.CUE);
    }

    private boolean nameLike(int i, Mode mode) {
        if (i < 0 || !t.is(i, Kind.WORD) || t.length(i) < 2) {
            return false;
        }
        String w = possessive(t.lower(i));
        if (ScrubLexicon.STOP.contains(w) || ScrubLexicon.CREDENTIALS.contains(w) || ScrubLexicon.COMMA_CREDENTIALS.contains(w)
                || t.punct(i + 1, ':') || wideGapBefore(i)) {
            return false; // a header field ("SSN:") or the next column of a header line
        }
        if (mode == Mode.TITLE) {
            return true;
        }
        int n = t.next(i);
        if (ScrubLexicon.MONTHS_LONG.contains(w)) {
            // a given name ("April Smith", "May I. Lindqvist", "nurse May"), not a date ("April 21", "in April")
            int p = t.prev(i);
            return p >= 0 && t.is(p, Kind.WORD) && (ScrubLexicon.TITLES.contains(t.lower(p)) || ScrubLexicon.ROLE_TITLES.contains(t.lower(p)))
                    || n >= 0 && t.is(n, Kind.WORD) && !ScrubLexicon.MONTHS_LONG.contains(t.lower(n))
                    && (t.length(n) == 1 && Character.isUpperCase(t.first(n)) || nameLike(n, Mode.CUE));
        }
        if (ScrubLexicon.EPONYMS.contains(w)) {
            // "Resident: KERLEY", "called to Graves at", "Ambrose Kerley, MD" - not "with Parkinson disease", "Kerley B lines"
            String next = n >= 0 && t.is(n, Kind.WORD) ? t.lower(n) : null;
            boolean clinical = next != null && (t.length(n) == 1 || ScrubLexicon.ENGLISH.contains(next) && !ScrubLexicon.isName(next)
                    && !ScrubLexicon.STOP.contains(next));
            return mode == Mode.LABEL || !clinical;
        }
        return ScrubLexicon.isName(w) || !ScrubLexicon.ENGLISH.contains(w) || !capsLine[i] && Character.isUpperCase(t.first(i));
    }

    /** Three or more blanks before a token: header lines put their fields in columns. */
    private boolean wideGapBefore(int i) {
        return t.is(i - 1, Kind.SPACE) && t.length(i - 1) >= 3 && t.text(i - 1).indexOf('\n') < 0;
    }

    private static String possessive(String w) {
        return w.endsWith("'s") || w.endsWith("\u2019s") ? w.substring(0, w.length() - 2) : w;
    }

    private boolean commaBefore(int i) {
        int p = t.prev(i);
        return p >= 0 && t.punct(p, ',');
    }

    /** "John A. Smith, MD", "SMITH, JOHN MD", "Jane Doe RN": the name before a credential. */
    private void credential(int i) {
        int j = t.prev(i);
        if (j >= 0 && t.punct(j, ',')) {
            j = t.prev(j);
        }
        int first = -1;
        boolean comma = false;
        for (int k = 0; k < MAX_NAME_TOKENS + 2 && j >= 0; k++) {
            if (t.punct(j, '.') && t.is(j - 1, Kind.WORD) && t.length(j - 1) == 1) {
                first = j - 1; // an initial
                j = t.prev(j - 1);
            } else if (t.is(j, Kind.WORD) && (t.length(j) == 1 && Character.isUpperCase(t.text.charAt(t.start(j)))
                    || nameLike(j, false) && capitalised(j) || PARTICLES.contains(t.lower(j)) && first >= 0)) {
                first = j;
                nameTokens.set(j);
                j = t.prev(j);
            } else if (t.punct(j, ',') && !comma && first >= 0) {
                comma = true; // "Smith, John"
                j = t.prev(j);
            } else {
                break;
            }
        }
        if (first >= 0) {
            int last = t.prev(i);
            if (last >= 0 && t.punct(last, ',')) {
                last = t.prev(last);
            }
            mark(first, last);
        }
    }

    /** O' (or O’) and a capitalised name of at least two more letters, also as a possessive (O'Brien's). */
    private boolean irishPrefixed(int i, String w) {
        String base = possessive(w);
        if (base.length() < 4 || base.charAt(0) != 'o' || base.charAt(1) != '\'' && base.charAt(1) != '\u2019') {
            return false;
        }
        String raw = t.text(i);
        return raw.charAt(0) == 'O' && Character.isUpperCase(raw.charAt(2))
                && base.substring(2).chars().allMatch(c -> Character.isLetter(c) || c == '-');
    }

    /**
     * A census name that is not an ordinary word, capitalised like a name, with an unlisted surname
     * after a given name; and a name that is also a word ("Smith", "White") when a verb only people
     * do follows it ("Smith called").
     */
    private void listName(int i, String w) {
        if (irishPrefixed(i, w)) { // "O'Donoghue", "O'BRIEN": a surname, not in the census lists with its apostrophe
            mark(i, i);
            nameTokens.set(i);
            return;
        }
        if (t.length(i) < 3 || !capitalised(i) || !ScrubLexicon.NAMES.contains(possessive(w)) || ScrubLexicon.STOP.contains(w)
                || ScrubLexicon.EPONYMS.contains(w)) {
            return;
        }
        if (ScrubLexicon.ENGLISH.contains(possessive(w))) {
            int v = t.next(i);
            if (ScrubLexicon.SURNAMES.contains(w) && v >= 0 && t.is(v, Kind.WORD) && PERSON_VERBS.contains(t.lower(v))) {
                mark(i, i);
            }
            return;
        }
        String base = possessive(w);
        if (t.length(i) >= 4 || capitalisedTitle(i)) {
            mark(i, i);
            nameTokens.set(i);
            int next = t.next(i);
            if (ScrubLexicon.GIVEN.contains(base) && next >= 0 && t.is(next, Kind.WORD) && proper(next)
                    && !ScrubLexicon.ENGLISH.contains(possessive(t.lower(next))) && !ScrubLexicon.EPONYMS.contains(t.lower(next))
                    && !ScrubLexicon.STOP.contains(t.lower(next))) {
                mark(next, next); // "John Westphall": an unlisted surname after a given name
                nameTokens.set(next);
            }
        }
    }

    private static final Set<String> PERSON_VERBS = Set.of("called", "calls", "said", "says", "agreed", "agrees", "stated",
            "states", "notified", "informed", "requested", "requests", "ordered", "acknowledged", "confirmed", "recommends",
            "recommended", "dictated", "signed", "paged", "spoke", "saw", "evaluated", "wrote", "writes", "verified",
            "approved", "telephoned", "phoned", "texted", "emailed", "asked", "asks", "wants", "wanted", "aware");

    // ---- addresses and institutions ------------------------------------------------------------------

    /** "12 Elm Street", "4400 N. 5th Ave., Apt 3B, Springfield, MA 01103": number, words, street suffix. */
    private void address(int suffix) {
        int j = t.prev(suffix);
        int words = 0;
        while (j >= 0 && words < 4 && (t.is(j, Kind.WORD) && capitalised(j) || t.is(j, Kind.ALNUM)
                && ORDINAL.matcher(t.lower(j)).matches() || t.punct(j, '.'))) {
            words += t.is(j, Kind.PUNCT) ? 0 : 1;
            j = t.prev(j);
        }
        if (words == 0 || j < 0 || !t.is(j, Kind.NUMBER) || t.length(j) > 6 || !capitalised(suffix)) {
            return;
        }
        int end = t.punct(suffix + 1, '.') ? suffix + 1 : suffix;
        int k = t.next(end);
        if (k >= 0 && t.punct(k, ',')) {
            k = t.next(k);
        }
        if (k >= 0 && (t.is(k, Kind.WORD) && ScrubLexicon.UNIT_WORDS.contains(t.lower(k)) || t.punct(k, '#'))) {
            int n = t.next(t.punct(k + 1, '.') ? k + 1 : k);
            if (n >= 0 && (t.is(n, Kind.NUMBER) || t.is(n, Kind.ALNUM) || t.is(n, Kind.WORD) && t.length(n) == 1)) {
                end = n;
            }
        }
        // the city, state and ZIP that follow
        int c = t.next(end);
        if (c >= 0 && t.punct(c, ',')) {
            c = t.next(c);
        }
        int cityEnd = -1;
        for (int m = 0; m < 3 && c >= 0 && t.is(c, Kind.WORD) && capitalised(c) && !ScrubLexicon.STATES.contains(t.lower(c)); m++) {
            cityEnd = c;
            c = t.next(c);
        }
        if (c >= 0 && t.punct(c, ',')) {
            c = t.next(c);
        }
        if (c >= 0 && t.is(c, Kind.WORD) && ScrubLexicon.STATES.contains(t.lower(c))) {
            end = c;
            int zip = t.next(c);
            if (zip >= 0 && t.is(zip, Kind.NUMBER) && t.length(zip) == 5) {
                end = zip;
            }
        } else if (cityEnd >= 0 && c >= 0 && t.is(c, Kind.NUMBER) && t.length(c) == 5) {
            end = c;
        } else if (cityEnd >= 0) {
            end = cityEnd;
        }
        mark(j, end);
    }

    /** "Saint Elsewhere General Hospital", "Beth Israel Deaconess Medical Center", "University of Springfield". */
    private void institution(int head, String w) {
        boolean strong = ScrubLexicon.STRONG_HEADS.contains(w);
        int first = -1;
        boolean named = false;
        int j = t.prev(head);
        for (int k = 0; k < 6 && j >= 0; k++) {
            if (t.punct(j, '.') || t.punct(j, '&') || t.punct(j, '-')) {
                j = t.prev(j);
                continue;
            }
            if (!t.is(j, Kind.WORD)) {
                break;
            }
            String v = possessive(t.lower(j));
            boolean connector = v.equals("of") || v.equals("and") || v.equals("the");
            if (!(capitalised(j) || connector) || ScrubLexicon.STOP.contains(v) && !connector
                    && !ScrubLexicon.GENERIC_INSTITUTION.contains(v)) {
                break;
            }
            if (!ScrubLexicon.GENERIC_INSTITUTION.contains(v) && !connector
                    && (strong || ScrubLexicon.isName(v) || !ScrubLexicon.ENGLISH.contains(v) || v.equals("saint") || v.equals("st"))) {
                named = true;
            }
            if (!connector) {
                first = j;
            }
            j = t.prev(j);
        }
        int last = head;
        if (strong) { // "University of Springfield", "Hospital of the University of Pennsylvania"
            int k = t.next(head);
            if (k >= 0 && t.lower(k).equals("of")) {
                int m = t.next(k);
                if (m >= 0 && t.lower(m).equals("the")) {
                    m = t.next(m);
                }
                for (int c = 0; c < 4 && m >= 0 && t.is(m, Kind.WORD) && capitalised(m); c++) {
                    String v = t.lower(m);
                    if (!ScrubLexicon.GENERIC_INSTITUTION.contains(v) || ScrubLexicon.STATES.contains(v)) {
                        named = true;
                    }
                    last = m;
                    int o = t.next(m);
                    m = o >= 0 && t.lower(o).equals("of") ? t.next(o) : o;
                }
            }
        }
        if (named) {
            mark(first >= 0 ? first : head, last);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Capitalised like a name: Title case in ordinary text, all capitals in an all-capitals line. */
    private boolean proper(int i) {
        if (!Character.isUpperCase(t.first(i))) {
            return false;
        }
        if (capsLine[i]) {
            return true;
        }
        String s = t.text;
        for (int k = t.start(i) + 1; k < t.end(i); k++) {
            if (Character.isLowerCase(s.charAt(k))) {
                return true;
            }
        }
        return t.length(i) <= 2;
    }

    /** Capitalised at all: Title case, or all capitals (a name in capitals inside ordinary text: "SMITH, JOHN"). */
    private boolean capitalised(int i) {
        if (proper(i)) {
            return true;
        }
        if (t.length(i) < 3 || !Character.isUpperCase(t.first(i))) {
            return false;
        }
        for (int k = t.start(i); k < t.end(i); k++) {
            if (Character.isLowerCase(t.text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Title case ("Lee"), which a short acronym ("ARDS", "PEG") is not. */
    private boolean capitalisedTitle(int i) {
        return t.length(i) > 1 && Character.isUpperCase(t.first(i)) && Character.isLowerCase(t.text.charAt(t.start(i) + 1));
    }

    private void mark(int from, int to) {
        if (from >= 0 && to >= from) {
            mask.set(t.start(from), t.end(to));
        }
    }

    /** Per token: whether its line is written in capitals (then case tells nothing about names). */
    private static boolean[] capsLines(Tokens t) {
        boolean[] caps = new boolean[t.size()];
        int lineStart = 0;
        int upper = 0;
        int lower = 0;
        for (int i = 0; i <= t.size(); i++) {
            boolean lineEnd = i == t.size() || t.is(i, Kind.SPACE) && t.text(i).indexOf('\n') >= 0;
            if (i < t.size() && t.is(i, Kind.WORD)) {
                String s = t.text(i);
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    upper += Character.isUpperCase(c) ? 1 : 0;
                    lower += Character.isLowerCase(c) ? 1 : 0;
                }
            }
            if (lineEnd) {
                boolean isCaps = upper > 0 && lower * 5 < upper;
                for (int k = lineStart; k < i; k++) {
                    caps[k] = isCaps;
                }
                lineStart = i + 1;
                upper = 0;
                lower = 0;
            }
        }
        return caps;
    }

    /** The text with every masked run replaced by {@code ___}; masks separated only by blanks become one. */
    private String render() {
        String s = t.text;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            int m = mask.nextSetBit(i);
            if (m < 0) {
                out.append(s, i, n);
                break;
            }
            out.append(s, i, m);
            int e = mask.nextClearBit(m);
            // blanks between two masked runs join them
            int k = e;
            while (true) {
                int b = k;
                while (b < n && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
                    b++;
                }
                if (b > k && b < n && mask.get(b)) {
                    k = mask.nextClearBit(b);
                } else {
                    break;
                }
            }
            int len = out.length();
            boolean afterMask = len >= MASK.length() && out.substring(len - MASK.length()).equals(MASK);
            if (!afterMask) {
                out.append(MASK);
            }
            i = k;
        }
        return out.toString();
    }
}
