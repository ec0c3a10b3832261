package org.cxr.label.domain.rules;

import java.util.List;

import org.cxr.label.domain.Style;

/**
 * One phrase of triggers.txt. windowBack/windowFwd = how many words the scope reaches before
 * and after the trigger (0 where the direction does not apply); findingWindow = for a [normal]
 * predicate, how many words back it also negates a finding ("vascular engorgement appears
 * normal"; 0 = descriptors only); styles = bit mask of Style ordinals it applies to;
 * appliesTo = bit mask of Observation ordinals (0 = all).
 */
public record TriggerRule(TriggerCategory category, Direction direction, int windowBack, int windowFwd, int findingWindow,
                          int styles, long appliesTo, List<String> tokens, String source) {

    /** Whether the rule is one of this labeler style's. */
    public boolean inStyle(Style style) {
        return (styles & (1 << style.ordinal())) != 0;
    }

    /**
     * Whether the rule applies to mentions of this target (an Observation ordinal; the other
     * findings and ad-hoc targets only match rules for every observation).
     */
    public boolean covers(int target) {
        return appliesTo == 0 || (target >= 0 && target < Long.SIZE && (appliesTo & (1L << target)) != 0);
    }
}
