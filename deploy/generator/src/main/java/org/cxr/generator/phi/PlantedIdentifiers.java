package org.cxr.generator.phi;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The strings a leak scan looks for: every planted identifier of a corpus that is distinctive
 * enough to be found in arbitrary bytes without false alarms, in the encodings it could take on
 * the way through the platform — as written (DICOM person names in their PN form with {@code ^}),
 * its capitalised words (name tokens), JSON-escaped, digits without separators, dates as DICOM DA
 * and ISO.
 * <p>Left out (still in the gold spans): single words under 5 letters, digit strings under 6
 * digits, states, month names, the eponym surnames and word-like given names (they occur as
 * clinical words elsewhere), dates without a year.
 */
public final class PlantedIdentifiers {
    /** One string to scan for. {@code source} says where it was planted (report, or a DICOM keyword). */
    public record Needle(PhiKind kind, String value, String source, String encoding) {
    }

    private static final Set<String> NOT_DISTINCTIVE = Set.of("april", "june", "may", "august", "march", "parkinson",
            "graves", "hodgkin", "kerley", "hospital", "medical", "center", "general", "regional", "community",
            "memorial", "health", "saint", "radiology", "reports", "viewer", "accession", "intranet", "https",
            // street words the study generator's addresses use too
            "street", "avenue", "drive", "boulevard", "court", "circle", "terrace", "ridge", "valley", "alliance",
            // words of the free-text DICOM values around the names
            "portable", "called");
    /** Kinds whose words are names: each capitalised word is a needle of its own. */
    private static final Set<PhiKind> NAMED = EnumSet.of(PhiKind.NAME, PhiKind.PATIENT_NAME, PhiKind.INSTITUTION,
            PhiKind.ADDRESS, PhiKind.LOCATION);
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern SEPARATED_DIGITS = Pattern.compile("[0-9][0-9 ().+/-]*[0-9]");
    /** The corpus's date forms with a four-digit year (two-digit years are ambiguous), read in any case. */
    private static final List<DateTimeFormatter> DATE_FORMS = Stream.of("MM/dd/yyyy", "MM-dd-yyyy", "yyyy-MM-dd",
                    "MMMM d, yyyy", "MMM d, yyyy", "d MMMM yyyy", "MMM. d, yyyy", "yyyyMMdd")
            .map(p -> new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(p).toFormatter(Locale.US))
            .toList();

    private PlantedIdentifiers() {
    }

    /** The needles of these reports (report text and DICOM values), each value once per kind. */
    public static List<Needle> of(List<PhiReport> reports) {
        Map<String, Needle> out = new LinkedHashMap<>();
        for (PhiReport r : reports) {
            for (GoldSpan s : r.identifiers()) {
                if (!s.tags().contains("eponym_surname") && !s.tags().contains("word_given")) {
                    add(out, s.kind(), s.text().replace("\n ", " "), "report");
                }
            }
            for (PhiReport.DicomValue v : r.dicom()) {
                if (v.kind().identifier()) {
                    add(out, v.kind(), v.value(), "dicom:" + v.keyword());
                }
            }
            add(out, PhiKind.UID, r.studyInstanceUid(), "dicom:StudyInstanceUID");
        }
        return List.copyOf(out.values());
    }

    /** Adds a value with its encodings. */
    static void add(Map<String, Needle> out, PhiKind kind, String value, String source) {
        put(out, kind, value, source, "as_written");
        if (kind == PhiKind.UID) {
            return;
        }
        if (NAMED.contains(kind) || source.startsWith("dicom:")) {
            // capitalised words: the parts of names (and of institutions, streets, cities) a scrubber may miss alone
            for (String token : value.split("[\\s^,'/()-]+")) {
                String t = token.replaceAll("^[^A-Za-z]+|[^A-Za-z]+$", "");
                if (!t.isEmpty() && Character.isUpperCase(t.charAt(0)) && t.chars().allMatch(Character::isLetter)) {
                    put(out, kind, t, source, "token");
                }
            }
        }
        if (value.contains("'")) {
            put(out, kind, value.replace("'", "\\u0027"), source, "json_escape");
        }
        if (value.contains("/")) {
            put(out, kind, value.replace("/", "\\/"), source, "json_escape");
        }
        if (kind != PhiKind.DATE && kind != PhiKind.STUDY_DATE) {
            var m = SEPARATED_DIGITS.matcher(value);
            while (m.find()) {
                put(out, kind, m.group().replaceAll("[^0-9]", ""), source, "digits_only");
            }
        }
        if (kind == PhiKind.DATE || kind == PhiKind.STUDY_DATE) {
            LocalDate d = parseDate(value);
            if (d != null) {
                put(out, kind, d.format(DateTimeFormatter.BASIC_ISO_DATE), source, "dicom_da");
                put(out, kind, d.toString(), source, "iso");
            }
        }
    }

    private static void put(Map<String, Needle> out, PhiKind kind, String value, String source, String encoding) {
        if (distinctive(kind, value)) {
            // one needle per kind and value: a value planted as two kinds is counted under both
            out.putIfAbsent(kind + "\t" + value.toLowerCase(Locale.ROOT), new Needle(kind, value, source, encoding));
        }
    }

    /** Long enough to be found in arbitrary bytes only where it was written. */
    static boolean distinctive(PhiKind kind, String value) {
        String v = value.strip();
        if (!v.equals(value) || v.chars().anyMatch(c -> c > 127)) {
            return false;
        }
        if (DIGITS.matcher(v).matches()) {
            return v.length() >= 6;
        }
        if (kind == PhiKind.DATE || kind == PhiKind.STUDY_DATE) {
            return parseDate(v) != null; // with a year
        }
        long alnum = v.chars().filter(Character::isLetterOrDigit).count();
        if (v.chars().allMatch(Character::isLetter)) {
            return v.length() >= 5 && !NOT_DISTINCTIVE.contains(v.toLowerCase(Locale.ROOT));
        }
        return alnum >= 6 && !NOT_DISTINCTIVE.contains(v.toLowerCase(Locale.ROOT));
    }

    static LocalDate parseDate(String s) {
        for (DateTimeFormatter f : DATE_FORMS) {
            try {
                return LocalDate.parse(s, f);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    /** The needles as TSV lines (kind, source, encoding, value), header first. */
    public static List<String> tsv(List<Needle> needles) {
        List<String> lines = new ArrayList<>();
        lines.add("kind\tsource\tencoding\tvalue");
        for (Needle n : needles) {
            lines.add(n.kind() + "\t" + n.source() + "\t" + n.encoding() + "\t" + n.value());
        }
        return lines;
    }
}
