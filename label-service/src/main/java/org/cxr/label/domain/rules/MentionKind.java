package org.cxr.label.domain.rules;

/** How a phrase of mentions.txt counts for its observation. */
public enum MentionKind {
    /** names the finding: positive unless a trigger negates it or makes it uncertain ("effusion"). */
    FINDING,
    /**
     * names the finding only as a possibility: uncertain unless a trigger negates it (CheXpert's
     * "vascular congestion", "indistinctness", "vascular prominence").
     */
    UNCERTAIN,
    /** neutral anatomy ("heart size"): counts only when a qualifier applies (normal, enlarged, stable...). */
    DESCRIPTOR,
    /**
     * neutral anatomy whose abnormal appearance only suggests the observation ("prominent
     * pulmonary vasculature" is uncertain edema): uncertain with an abnormal or hedging qualifier,
     * otherwise no mention (normal vasculature says nothing about edema).
     */
    SIGN,
    /** cancels mentions of the same observation it overlaps ("pericardial effusion"). */
    EXCLUDE,
    /** implies the observation only as uncertain, and only when itself positive or uncertain (CHF). */
    HINT;

    /** Neutral anatomy that needs a qualifier to count. */
    public boolean isDescriptor() {
        return this == DESCRIPTOR || this == SIGN;
    }

    static MentionKind parse(String s) {
        return switch (s) {
            case "finding" -> FINDING;
            case "uncertain" -> UNCERTAIN;
            case "descriptor" -> DESCRIPTOR;
            case "sign" -> SIGN;
            case "exclude" -> EXCLUDE;
            case "hint" -> HINT;
            default -> null;
        };
    }
}
