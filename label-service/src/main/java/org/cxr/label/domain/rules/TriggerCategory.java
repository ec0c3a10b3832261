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
     * Scopes end where a trigger of another family begins (NegEx/ConText): negation and
     * uncertainty end each other's scopes and those of qualifiers; the others end none, so "no
     * effusion or pneumothorax" stays negated.
     */
    public enum Family {
        /** "or", pseudo-triggers, terminators */
        NONE,
        NEGATION,
        UNCERTAINTY,
        /** what qualifies a descriptor as abnormal or unchanged */
        QUALIFIER;

        /** Whether a trigger of this family ends the scopes of the other families. */
        public boolean endsOtherScopes() {
            return this == NEGATION || this == UNCERTAINTY;
        }
    }

    public Family family() {
        return switch (this) {
            case NEGATION, NORMAL -> Family.NEGATION;
            case UNCERTAIN_BEFORE_NEGATION, UNCERTAIN -> Family.UNCERTAINTY;
            case ABNORMAL, STABLE -> Family.QUALIFIER;
            default -> Family.NONE;
        };
    }
}
