package org.cxr.label.domain.rules;

/** How a phrase of mentions.txt counts for its observation. */
public enum MentionKind {
    /** names the finding: positive unless a trigger negates it or makes it uncertain ("effusion"). */
    FINDING,
    /** neutral anatomy ("heart size"): counts only when a qualifier applies (normal, enlarged, stable...). */
    DESCRIPTOR,
    /** cancels mentions of the same observation it overlaps ("pericardial effusion"). */
    EXCLUDE,
    /** implies the observation only as uncertain, and only when itself positive or uncertain (CHF). */
    HINT;

    static MentionKind parse(String s) {
        return switch (s) {
            case "finding" -> FINDING;
            case "descriptor" -> DESCRIPTOR;
            case "exclude" -> EXCLUDE;
            case "hint" -> HINT;
            default -> null;
        };
    }
}
