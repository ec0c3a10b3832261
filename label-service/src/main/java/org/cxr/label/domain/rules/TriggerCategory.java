package org.cxr.label.domain.rules;

/** Sections of triggers.txt. */
public enum TriggerCategory {
    /** uncertainty checked before negation: "cannot exclude", "no new" (CheXpert style). */
    UNCERTAIN_BEFORE_NEGATION("uncertain-before-negation"),
    NEGATION("negation"),
    /** uncertainty checked after negation: "possible", "may represent". */
    UNCERTAIN("uncertain"),
    /** "X or Y": makes both uncertain when findings stand on both sides. */
    ALTERNATIVE("alternative"),
    /** qualifies a descriptor as normal: "heart size is normal" (findings ignore it). */
    NORMAL("normal"),
    /** qualifies a descriptor as abnormal: "heart size is enlarged". */
    ABNORMAL("abnormal"),
    /** qualifies a descriptor as unchanged: "stable heart size" (uncertain in both styles). */
    STABLE("stable"),
    /** looks like a trigger but is not one ("no change", "gram negative"); occupies its span. */
    PSEUDO("pseudo"),
    /** ends every scope ("but", "however", ";"). */
    TERMINATE("terminate");

    private final String section;

    TriggerCategory(String section) {
        this.section = section;
    }

    public String section() {
        return section;
    }

    static TriggerCategory bySection(String s) {
        for (TriggerCategory c : values()) {
            if (c.section.equals(s)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Scopes end where a trigger of another family begins (NegEx/ConText): negation (1) and
     * uncertainty (2) end each other's scopes and those of qualifiers (3); "or" (0) ends none,
     * so "no effusion or pneumothorax" stays negated.
     */
    public int family() {
        return switch (this) {
            case NEGATION, NORMAL -> 1;
            case UNCERTAIN_BEFORE_NEGATION, UNCERTAIN -> 2;
            case ABNORMAL, STABLE -> 3;
            default -> 0;
        };
    }
}
