package org.cxr.label.domain.labeler;

import org.cxr.events.Observation;
import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.rules.MentionKind;
import org.cxr.label.domain.rules.MentionRule;

/**
 * One mention as decided in each style. target is the Observation ordinal, {@link MentionRule#OTHER}
 * for other abnormal findings, or -1 for an ad-hoc target (negation kit). An assertion is null when
 * the mention does not count in that style (a descriptor without qualifier, a negated hint).
 * The cue is the rule (file:line phrase) that decided, or null for a plain positive. text is the
 * normalised mention; [start, end) are its characters in the text given to the labeler.
 */
public record Mention(int target, MentionKind kind, int sentence, String text,
                      Assertion chexpert, Assertion negbio, String chexpertCue, String negbioCue, int start, int end) {

    public Assertion assertion(Style style) {
        return style == Style.CHEXPERT ? chexpert : negbio;
    }

    public String cue(Style style) {
        return style == Style.CHEXPERT ? chexpertCue : negbioCue;
    }

    public String targetName() {
        if (target == MentionRule.OTHER) {
            return "Other finding";
        }
        return target < 0 ? "target" : Observation.all().get(target).column();
    }

    @Override
    public String toString() {
        return targetName() + "[" + kind + " '" + text + "' chexpert=" + chexpert + " negbio=" + negbio + "]";
    }
}
