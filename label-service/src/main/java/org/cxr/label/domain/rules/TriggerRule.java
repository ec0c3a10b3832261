package org.cxr.label.domain.rules;

import java.util.List;

/**
 * One phrase of triggers.txt. windowBack/windowFwd = how many words the scope reaches before
 * and after the trigger (0 where the direction does not apply); styles = bit mask of Style
 * ordinals it applies to; appliesTo = bit mask of Observation ordinals (0 = all).
 */
public record TriggerRule(TriggerCategory category, Direction direction, int windowBack, int windowFwd, int styles,
                          long appliesTo, List<String> tokens, String source) {
}
