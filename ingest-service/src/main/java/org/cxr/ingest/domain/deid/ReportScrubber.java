package org.cxr.ingest.domain.deid;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces protected health information in report text by {@code ___}, as in MIMIC-CXR: names
 * (after titles and name cues, and the patient's own name tokens), dates (numeric and written;
 * times are kept, as in the DICOM copy), ages, phone/pager numbers, e-mail addresses and
 * MRN/accession/other id numbers. Clinical numbers (sizes "1.5 cm", levels "T10", counts, short
 * numbers) are kept. Rules are regular expressions applied in order; each only ever replaces the
 * identifying part, never the cue word, so the sentence stays readable.
 */
public final class ReportScrubber {
    public static final String MASK = "___";

    private static final String NAME = "[A-Z][a-z][A-Za-z'\\-]*";
    private static final String INITIAL = "[A-Z]\\.";
    private static final String NAME_RUN = "(?:" + NAME + "|" + INITIAL + ")(?:[ \\t]+(?:" + NAME + "|" + INITIAL + "))*";
    private static final String MONTH = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            + "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";

    /** A rule: every match of {@code pattern} has its group {@code group} replaced by the mask. */
    private record Rule(Pattern pattern, int group) {
    }

    private static final List<Rule> RULES = List.of(
            // e-mail addresses
            new Rule(Pattern.compile("\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+\\b"), 0),
            // titles: Dr. Smith, Dr John A. Smith, Drs. Smith and Jones
            new Rule(Pattern.compile("\\b(?:Drs?\\.?|Doctor|Mr\\.?|Mrs\\.?|Ms\\.?|Miss|Prof\\.?)[ \\t]+(" + NAME_RUN
                    + "(?:[ \\t]+and[ \\t]+" + NAME_RUN + ")?)"), 1),
            // credentials after a name: John Smith, MD / Smith M.D. / Jane Doe RN
            new Rule(Pattern.compile("\\b(" + NAME_RUN + "),?[ \\t]+(?:MD|M\\.D\\.|DO|D\\.O\\.|RN|NP|PA-C|PhD|RT|RRT)\\b"), 1),
            // name cues: discussed with Smith, signed by John Smith, Radiologist: Jane Doe
            new Rule(Pattern.compile("(?i:discussed[ \\t]+with|communicated[ \\t]+(?:to|with)|spoke[ \\t]+(?:to|with)"
                    + "|paged|notified|reported[ \\t]+to|called[ \\t]+to|informed|d/w"
                    + "|(?:dictated|signed|reviewed|read|interpreted|approved|verified|performed|transcribed|called)[ \\t]+by"
                    + "|(?:radiologist|attending|resident|fellow|technologist|physician|provider|reader)[ \\t]*:)"
                    + "[ \\t]+(?:(?i:the[ \\t]+)?(?i:referring|ordering|covering|primary|on-call)?[ \\t]*(?i:physician|clinician|team|nurse|doctor|provider),?[ \\t]+)?"
                    + "(?!Dr\\b|Doctor\\b)(" + NAME_RUN + ")"), 1),
            // dates: 2101-03-04, 03/04/2101, 3-4-01, 3.4.2101
            new Rule(Pattern.compile("\\b\\d{4}-\\d{1,2}-\\d{1,2}\\b"), 0),
            new Rule(Pattern.compile("\\b\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})\\b"), 0),
            // written dates: March 4, 2101 / 4th of March 2101 / Mar 2101 / March 4th
            new Rule(Pattern.compile("\\b" + MONTH + "[ \\t]+\\d{1,2}(?:st|nd|rd|th)?(?:,?[ \\t]+\\d{4})?\\b"), 0),
            new Rule(Pattern.compile("\\b\\d{1,2}(?:st|nd|rd|th)?[ \\t]+(?:of[ \\t]+)?" + MONTH + "(?:,?[ \\t]+\\d{4})?\\b"), 0),
            new Rule(Pattern.compile("\\b" + MONTH + ",?[ \\t]+\\d{4}\\b"), 0),
            // month/day after a date cue: "on 3/4", "compared to 12/25"
            new Rule(Pattern.compile("(?i:\\b(?:on|of|from|dated|since|to|with|prior|study|exam|comparison:?))[ \\t]+"
                    + "((?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01]))(?![\\d/])"), 1),
            // a year on its own (not a measurement)
            new Rule(Pattern.compile("\\b(?:19|20|21)\\d{2}\\b(?![ \\t]*(?:mm|cm|ml|mL|cc|mg|g|kg|m|hz|Hz|%))"), 0),
            // ages: 67-year-old, 67 yo, 67 y/o
            new Rule(Pattern.compile("\\b(\\d{1,3})(?=[ \\t-]*(?:years?|yrs?|y)[ \\t-]*(?:old|/o|o\\b))"), 1),
            new Rule(Pattern.compile("\\b(\\d{1,3})(?=[ \\t]*(?:yo|y/o|y\\.o\\.)\\b)"), 1),
            // phone numbers: (617) 555-1234, 617-555-1234, 555-1234
            new Rule(Pattern.compile("(?:\\(\\d{3}\\)[ \\t]*|\\b\\d{3}[-. ])?\\b\\d{3}[-.]\\d{4}\\b"), 0),
            // pager/extension/phone cues with any number
            new Rule(Pattern.compile("(?i:\\b(?:pager|beeper|page|pgr|ext\\.?|extension|x|phone|tel\\.?|telephone|cell|fax)"
                    + "[ \\t]*(?:#|no\\.?|number|num\\.?)?[ \\t]*:?[ \\t]*)(\\d[\\d-]{2,})"), 1),
            // id cues: MRN 1234567, Accession #: A12345, unit no. 55512, ID: 12-3456
            new Rule(Pattern.compile("(?i:\\b(?:mrn|medical[ \\t]+record(?:[ \\t]+(?:number|no\\.?))?|accession(?:[ \\t]+(?:number|no\\.?))?"
                    + "|acc\\.?|id|unit[ \\t]+(?:number|no\\.?)|patient[ \\t]+(?:id|number)|order(?:[ \\t]+(?:number|no\\.?))?"
                    + "|case(?:[ \\t]+(?:number|no\\.?))?|exam(?:[ \\t]+(?:number|no\\.?)))"
                    + "[ \\t]*(?:#|:)?[ \\t]*:?[ \\t]*)([A-Za-z]{0,3}\\d[\\dA-Za-z-]{2,})"), 1),
            // any long number or letter-prefixed number is an identifier, not a measurement
            new Rule(Pattern.compile("\\b[A-Za-z]{0,3}\\d{6,}\\b"), 0));

    private static final Pattern WORD = Pattern.compile("\\b[A-Z][A-Za-z'\\-]+\\b");
    private static final Pattern MASKED_RUN = Pattern.compile("___(?:[ \\t]+___)+");

    private ReportScrubber() {
    }

    /** Scrubs with the generic rules only (the patient's name is unknown). */
    public static String scrub(String text) {
        return scrub(text, t -> false);
    }

    /**
     * @param patientNameToken true for a capitalised word that is a token of this patient's name (the
     *                         caller checks it against keyed digests; ingest stores no names)
     */
    public static String scrub(String text, Predicate<String> patientNameToken) {
        String s = text;
        for (Rule r : RULES) {
            s = apply(r, s);
        }
        Matcher m = WORD.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(sb, patientNameToken.test(m.group()) ? MASK : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(sb);
        return MASKED_RUN.matcher(sb).replaceAll(MASK);
    }

    private static String apply(Rule r, String s) {
        Matcher m = r.pattern().matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int last = 0;
        do {
            if (m.group(r.group()) == null) {
                continue;
            }
            sb.append(s, last, m.start(r.group())).append(MASK);
            last = m.end(r.group());
        } while (m.find());
        return sb.append(s, last, s.length()).toString();
    }
}
