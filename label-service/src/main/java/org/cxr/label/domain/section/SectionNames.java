package org.cxr.label.domain.section;

import java.util.List;
import java.util.Locale;

/**
 * Normalises section header names with the rules of sections.txt: first every exact "is"
 * synonym, then the "contains" words in file order (so "FINDINGS AND IMPRESSION" follows
 * whichever word comes first in the file). Unknown names are returned lower-cased.
 */
public final class SectionNames {
    /** {canonical name, "is"|"contains", phrase} in file order */
    private final List<String[]> rules;

    public SectionNames(List<String[]> rules) {
        this.rules = rules;
    }

    public String canonical(String header) {
        String name = header.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
        for (String[] r : rules) {
            if (r[1].equals("is") && r[2].equals(name)) {
                return r[0];
            }
        }
        for (String[] r : rules) {
            if (r[1].equals("contains") && containsWord(name, r[2])) {
                return r[0];
            }
        }
        return name;
    }

    private static boolean containsWord(String name, String word) {
        int i = name.indexOf(word);
        while (i >= 0) {
            int end = i + word.length();
            boolean startOk = i == 0 || !Character.isLetter(name.charAt(i - 1));
            boolean endOk = end == name.length() || !Character.isLetter(name.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            i = name.indexOf(word, i + 1);
        }
        return false;
    }
}
