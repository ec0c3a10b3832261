package org.cxr.generator.phi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A person of the corpus and the ways a dictation writes a name: with or without a title, in
 * capitals, inverted, as initials, with a professional suffix. Each form gives the span of the name
 * itself (titles and suffixes are not identifiers) and tags saying how it was written.
 *
 * @param category how the surname is built: plain, apostrophe, mc, particle, hyphenated,
 *                 eponym_surname (also a medical eponym), word_given (the given name is also a word)
 */
record Person(String given, String middle, String family, String category) {

    /** A name as written: {@code before + name + after}, of which only {@code name} is the identifier. */
    record Written(String before, String name, String after, List<String> tags) {
    }

    String initial() {
        return given.substring(0, 1);
    }

    /** "Dr. Given Family", "Dr. Family", "Given Family, MD", "G. Family, M.D.", ... */
    Written doctor(SplittableRandom r) {
        return switch (r.nextInt(7)) {
            case 0 -> written("Dr. ", given + " " + family, "", "title_dr");
            case 1, 2 -> written("Dr. ", family, "", "title_dr", "surname_only");
            case 3 -> written("Dr. ", given + " " + middleInitial() + family, "", "title_dr", "middle_initial");
            case 4 -> written("", given + " " + family, ", MD", "suffix_md");
            case 5 -> written("", initial() + ". " + family, ", M.D.", "suffix_md", "initials");
            default -> written("Dr. ", initial() + ". " + family, "", "title_dr", "initials");
        };
    }

    /** "DR. FAMILY" as in a notification typed in capitals. */
    Written doctorCaps(SplittableRandom r) {
        Written w = r.nextBoolean() ? written("DR. ", family, "", "title_dr", "surname_only")
                : written("DR. ", given + " " + family, "", "title_dr");
        return caps(w);
    }

    /** Without a title: "Given Family", "Family", sometimes typed in lower case. */
    Written plain(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> written("", given + " " + family, "");
            case 2, 3 -> written("", family, "", "surname_only");
            case 4 -> written("", given + " " + middleInitial() + family, "", "middle_initial");
            default -> written("", (given + " " + family).toLowerCase(Locale.ROOT), "", "lowercase");
        };
    }

    /** "Family, Given M" (a resident line, a registration header). */
    Written inverted(SplittableRandom r) {
        return written("", family + ", " + given + (middle.isEmpty() ? "" : " " + middle.charAt(0)), "", "inverted");
    }

    /** A signature: "Given M. Family, MD", "FAMILY, GIVEN M, M.D.", "G. M. Family, MD". */
    Written signature(SplittableRandom r) {
        String m = middle.isEmpty() ? "" : middle.charAt(0) + ". ";
        return switch (r.nextInt(5)) {
            case 0 -> written("", given + " " + m + family, ", MD", "suffix_md");
            case 1 -> written("", given + " " + family, ", M.D.", "suffix_md");
            case 2 -> written("", initial() + ". " + m + family, ", MD", "suffix_md", "initials");
            case 3 -> written("", family + ", " + given, ", MD", "suffix_md", "inverted");
            default -> written("Dr. ", given + " " + family, "", "title_dr");
        };
    }

    Written signatureCaps(SplittableRandom r) {
        return caps(r.nextBoolean() ? written("", given + " " + family, ", MD", "suffix_md")
                : written("", family + ", " + given, "", "inverted"));
    }

    Written nurse(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> written("", given + " " + family, ", RN", "suffix_rn");
            case 1 -> written("RN ", given + " " + family, "", "title_rn");
            default -> written("nurse ", given, "", "given_only");
        };
    }

    Written physicianAssistant(SplittableRandom r) {
        return r.nextBoolean() ? written("", given + " " + family, ", PA-C", "suffix_pa")
                : written("PA ", family, "", "title_pa", "surname_only");
    }

    Written technologist(SplittableRandom r) {
        return r.nextBoolean() ? written("", given + " " + family, ", RT(R)", "suffix_rt")
                : written("", initial() + ". " + family, ", RT", "suffix_rt", "initials");
    }

    /** Transcriptionist's initials, "gw" or "G.W.": too short to scan for, still a name. */
    Written initialsOnly(SplittableRandom r) {
        String f = family.replaceAll("[^A-Za-z]", "").substring(0, 1);
        return r.nextBoolean() ? written("", (initial() + f).toLowerCase(Locale.ROOT), "", "initials")
                : written("", initial() + "." + f.toUpperCase(Locale.ROOT) + ".", "", "initials");
    }

    private String middleInitial() {
        return middle.isEmpty() ? "" : middle.charAt(0) + ". ";
    }

    private Written written(String before, String name, String after, String... forms) {
        List<String> tags = new ArrayList<>(List.of(category));
        tags.addAll(List.of(forms));
        return new Written(before, name, after, tags);
    }

    private static Written caps(Written w) {
        List<String> tags = new ArrayList<>(w.tags());
        tags.add("caps");
        return new Written(w.before().toUpperCase(Locale.ROOT), w.name().toUpperCase(Locale.ROOT),
                w.after().toUpperCase(Locale.ROOT), tags);
    }
}
