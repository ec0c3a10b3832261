package org.cxr.label.domain.labeler;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.match.IntList;
import org.cxr.label.domain.match.Lexicon;
import org.cxr.label.domain.match.PhraseMatches;
import org.cxr.label.domain.match.TokenizedText;
import org.cxr.label.domain.rules.Direction;
import org.cxr.label.domain.rules.MentionKind;
import org.cxr.label.domain.rules.MentionRule;
import org.cxr.label.domain.rules.TriggerCategory;
import org.cxr.label.domain.rules.TriggerCategory.Family;
import org.cxr.label.domain.rules.TriggerRule;
import org.cxr.label.domain.text.Normaliser;

/**
 * The scope engine (NegEx/ConText-style) for one sentence at a time. Not thread-safe: one
 * instance per labelling call.
 *
 * <p>Triggers are resolved leftmost-longest (so "no change" as a pseudo-trigger hides "no").
 * A trigger's scope runs forward (pre), backward (post) or both, at most its window of words,
 * and stops at a terminator or at a trigger of the other family (negation vs uncertainty). For
 * negation and uncertainty the words of other findings and the conjunctions of a list do not count
 * against the window, so a list shares its trigger.
 * A finding mention is decided in the CheXpert order: uncertainty-before-negation, then
 * negation, then uncertainty ("X or Y" included), else positive. A descriptor mention ("heart
 * size") takes the nearest qualifier in scope (normal / borderline / enlarged; "stable" only when
 * nothing else applies) and is dropped when none applies; a qualifier right after a negation or
 * hedge takes its meaning ("not significantly enlarged", "possibly enlarged").
 *
 * <p>This runs for every sentence of every report, so its working state lives in holders that are
 * reused from sentence to sentence (nothing is allocated per sentence once they have grown).
 */
final class SentenceAnalyzer {
    private static final int OUT_OF_SCOPE = Integer.MAX_VALUE;
    private static final TriggerCategory[] FINDING_ORDER = {
        TriggerCategory.UNCERTAIN_BEFORE_NEGATION, TriggerCategory.NEGATION, TriggerCategory.UNCERTAIN};
    private static final int STYLES = Style.values().length;

    /** A mention of the current sentence: tokens [start, end) and what each style decided. */
    private static final class Candidate {
        int start;
        int end;
        /** Observation ordinal, MentionRule.OTHER, or -1 for an ad-hoc target */
        int target;
        MentionKind kind;
        /** the phrase that made it, null for an ad-hoc target */
        MentionRule rule;
        /** per Style ordinal: the decision (null = does not count) and the rule that made it */
        final Assertion[] verdict = new Assertion[STYLES];
        final String[] cue = new String[STYLES];
    }

    /** A trigger kept for the current style, with the token range its scope may reach. */
    private static final class Trigger {
        int start;
        int end;
        TriggerRule rule;
        /** the rule's category, or what a neighbouring trigger turned it into ("not enlarged") */
        TriggerCategory category;
        /** the scope ends here going back (a terminator or a trigger of another family) */
        int scopeStart;
        /** the scope ends here going forward */
        int scopeEnd;
    }

    private final Lexicon lexicon;
    private final PhraseMatches matches = new PhraseMatches();
    private final IntList trieStates = new IntList(8);
    private final IntList nextTrieStates = new IntList(8);

    private TokenizedText text;
    private int sentenceStart;
    /** wordsBefore[k] = word tokens in the sentence before its k-th token */
    private int[] wordsBefore = new int[64];
    /** like wordsBefore, but without the words of finding mentions and "and"/"or"/"nor" (see countListWords) */
    private int[] listWordsBefore = new int[64];

    private Candidate[] mentions = grow(new Candidate[0], 16, Candidate::new);
    private int mentionCount;

    private Trigger[] triggers = grow(new Trigger[0], 16, Trigger::new);
    private int triggerCount;
    /** indices into matches of the current style's triggers, sorted leftmost-longest */
    private int[] triggerOrder = new int[16];

    SentenceAnalyzer(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    private static <T> T[] grow(T[] pool, int capacity, Supplier<T> create) {
        T[] out = Arrays.copyOf(pool, capacity);
        for (int i = pool.length; i < capacity; i++) {
            out[i] = create.get();
        }
        return out;
    }

    /**
     * Finds and decides the mentions of sentence `sentence`, appending them to out. When
     * extraStart >= 0, tokens [extraStart, extraEnd) are decided too as an ad-hoc target
     * (target -1); returns its index in out, or -1. Mention offsets are mapped back to the raw
     * text with raw (null: offsets in the normalised text).
     */
    int analyse(TokenizedText t, int sentence, int extraStart, int extraEnd, Normaliser.Mapped raw, List<Mention> out) {
        int start = t.sentenceStart(sentence);
        int end = t.sentenceEnd(sentence);
        sentenceStart = start;
        text = t;
        matches.clear();
        lexicon.match(t, start, end, matches, trieStates, nextTrieStates);
        if (wordsBefore.length < end - start + 1) {
            wordsBefore = new int[(end - start + 1) * 2];
            listWordsBefore = new int[wordsBefore.length];
        }
        wordsBefore[0] = 0;
        for (int k = start; k < end; k++) {
            wordsBefore[k - start + 1] = wordsBefore[k - start] + (t.isWord(k) ? 1 : 0);
        }
        collectMentions(extraStart, extraEnd);
        if (mentionCount == 0) {
            return -1;
        }
        countListWords(start, end);
        for (Style style : Style.values()) {
            selectTriggers(style, start, end);
            for (int i = 0; i < mentionCount; i++) {
                decide(style, mentions[i]);
            }
        }
        int extraIndex = -1;
        int chexpert = Style.CHEXPERT.ordinal();
        int negbio = Style.NEGBIO.ordinal();
        for (int i = 0; i < mentionCount; i++) {
            Candidate m = mentions[i];
            if (m.target == MentionRule.ALTERNATIVE || (m.verdict[chexpert] == null && m.verdict[negbio] == null)) {
                continue;
            }
            if (m.target < 0) {
                extraIndex = out.size();
            }
            int from = t.start(m.start);
            int to = t.end(m.end - 1);
            out.add(new Mention(m.target, m.kind, sentence, t.span(m.start, m.end), m.verdict[chexpert], m.verdict[negbio],
                    m.cue[chexpert], m.cue[negbio], raw == null ? from : raw.rawStart(from), raw == null ? to : raw.rawEnd(to)));
        }
        return extraIndex;
    }

    private boolean isComma(int token) {
        return !text.isWord(token) && text.text().charAt(text.start(token)) == ',';
    }

    /** Words of the sentence before this token. */
    private int wordIndex(int token) {
        return wordsBefore[token - sentenceStart];
    }

    // ---- mentions -------------------------------------------------------------------------

    private void collectMentions(int extraStart, int extraEnd) {
        mentionCount = 0;
        for (int a = 0; a < matches.size(); a++) {
            int id = matches.phrase(a);
            if (lexicon.isTrigger(id)) {
                continue;
            }
            MentionRule r = lexicon.mention(id);
            if (r.kind() != MentionKind.EXCLUDE && !suppressed(a, r.target())) {
                addMention(matches.start(a), matches.end(a), r.target(), r.kind(), r);
            }
        }
        if (extraStart >= 0) {
            addMention(extraStart, extraEnd, -1, MentionKind.FINDING, null);
        }
    }

    /** Match a is excluded by an overlapping exclude phrase, inside a longer mention, or a duplicate. */
    private boolean suppressed(int a, int target) {
        int start = matches.start(a);
        int end = matches.end(a);
        for (int b = 0; b < matches.size(); b++) {
            int id = matches.phrase(b);
            if (b == a || lexicon.isTrigger(id) || lexicon.mention(id).target() != target) {
                continue;
            }
            int otherStart = matches.start(b);
            int otherEnd = matches.end(b);
            if (lexicon.mention(id).kind() == MentionKind.EXCLUDE) {
                if (otherStart < end && start < otherEnd) {
                    return true;
                }
            } else if (otherStart <= start && otherEnd >= end
                    && (otherEnd - otherStart > end - start || (otherEnd - otherStart == end - start && b < a))) {
                return true;
            }
        }
        return false;
    }

    private void addMention(int start, int end, int target, MentionKind kind, MentionRule rule) {
        if (mentionCount == mentions.length) {
            mentions = grow(mentions, mentionCount * 2, Candidate::new);
        }
        Candidate m = mentions[mentionCount++];
        m.start = start;
        m.end = end;
        m.target = target;
        m.kind = kind;
        m.rule = rule;
    }

    /**
     * A list of findings shares its trigger ("no effusion, consolidation, pneumothorax or edema";
     * "consolidation, atelectasis and blunting in the left base have cleared"): the words of other
     * finding mentions and the conjunctions between them do not use up a trigger's window.
     */
    private void countListWords(int start, int end) {
        listWordsBefore[0] = 0;
        for (int k = start; k < end; k++) {
            boolean counts = text.isWord(k) && !isConjunction(k);
            for (int i = 0; i < mentionCount && counts; i++) {
                Candidate m = mentions[i];
                counts = m.kind.isDescriptor() || k < m.start || k >= m.end;
            }
            listWordsBefore[k - start + 1] = listWordsBefore[k - start] + (counts ? 1 : 0);
        }
    }

    private boolean isConjunction(int token) {
        int start = text.start(token);
        int len = text.end(token) - start;
        String x = text.text();
        return (len == 3 && (x.startsWith("and", start) || x.startsWith("nor", start))) || (len == 2 && x.startsWith("or", start));
    }

    // ---- triggers -------------------------------------------------------------------------

    private void selectTriggers(Style style, int start, int end) {
        int n = 0;
        for (int a = 0; a < matches.size(); a++) {
            int id = matches.phrase(a);
            if (lexicon.isTrigger(id) && lexicon.trigger(id).inStyle(style)) {
                if (n == triggerOrder.length) {
                    triggerOrder = Arrays.copyOf(triggerOrder, n * 2);
                }
                triggerOrder[n++] = a;
            }
        }
        // leftmost first, longest first at the same start
        for (int i = 1; i < n; i++) {
            int x = triggerOrder[i];
            int j = i - 1;
            while (j >= 0 && before(x, triggerOrder[j])) {
                triggerOrder[j + 1] = triggerOrder[j];
                j--;
            }
            triggerOrder[j + 1] = x;
        }
        triggerCount = 0;
        int lastEnd = -1;
        for (int i = 0; i < n; i++) {
            int a = triggerOrder[i];
            if (matches.start(a) < lastEnd) {
                continue;
            }
            if (triggerCount == triggers.length) {
                triggers = grow(triggers, triggerCount * 2, Trigger::new);
            }
            Trigger t = triggers[triggerCount++];
            t.start = matches.start(a);
            t.end = matches.end(a);
            t.rule = lexicon.trigger(matches.phrase(a));
            t.category = t.rule.category();
            lastEnd = t.end;
        }
        for (int q = 1; q < triggerCount; q++) {
            Trigger t = triggers[q];
            TriggerRule previous = triggers[q - 1].rule;
            TriggerCategory before = previous.category();
            boolean previousLooksForward = previous.direction() != Direction.POST;
            // a hedge right after a negation belongs to it: "no suspicious nodules" is negative
            if (t.category.family() == Family.UNCERTAINTY && before == TriggerCategory.NEGATION && previousLooksForward
                    && t.start == triggers[q - 1].end) {
                t.category = TriggerCategory.PSEUDO;
                continue;
            }
            // "not significantly enlarged", "possibly enlarged"
            if ((t.category == TriggerCategory.ABNORMAL || t.category == TriggerCategory.STABLE)
                    && (before == TriggerCategory.NEGATION || before.family() == Family.UNCERTAINTY)
                    && previousLooksForward && wordIndex(t.start) - wordIndex(triggers[q - 1].end) <= 2) {
                t.category = before == TriggerCategory.NEGATION ? TriggerCategory.NEGATION : TriggerCategory.UNCERTAIN;
            }
        }
        for (int i = 0; i < triggerCount; i++) {
            Trigger t = triggers[i];
            t.scopeEnd = end;
            for (int j = i + 1; j < triggerCount; j++) {
                if (endsScopeOf(triggers[j], t)) {
                    t.scopeEnd = triggers[j].start;
                    break;
                }
            }
            if (t.category == TriggerCategory.ABNORMAL) {
                // an adjective ("enlarged heart") qualifies what follows within its phrase only
                for (int k = t.end; k < t.scopeEnd; k++) {
                    if (isComma(k)) {
                        t.scopeEnd = k;
                        break;
                    }
                }
            }
            t.scopeStart = start;
            for (int j = i - 1; j >= 0; j--) {
                if (endsScopeOf(triggers[j], t)) {
                    t.scopeStart = triggers[j].end;
                    break;
                }
            }
        }
    }

    /** Leftmost first, then longest: whether match a sorts before match b. */
    private boolean before(int a, int b) {
        if (matches.start(a) != matches.start(b)) {
            return matches.start(a) < matches.start(b);
        }
        return matches.end(a) > matches.end(b);
    }

    private static boolean endsScopeOf(Trigger other, Trigger t) {
        Family f = other.category.family();
        return other.category == TriggerCategory.TERMINATE || (f.endsOtherScopes() && f != t.category.family());
    }

    /** Word distance from trigger t to mention m if m lies in t's scope, else OUT_OF_SCOPE. */
    private int distance(Trigger t, Candidate m) {
        TriggerRule r = t.rule;
        if (!r.covers(m.target)) {
            return OUT_OF_SCOPE;
        }
        Direction d = r.direction();
        Family family = t.category.family();
        boolean listShares = !m.kind.isDescriptor() && (family == Family.UNCERTAINTY || t.category == TriggerCategory.NEGATION);
        int[] words = listShares ? listWordsBefore : wordsBefore;
        int forward = r.windowFwd();
        int back = r.windowBack();
        if (r.appliesTo() == 0 && m.target >= 0) {
            // a trigger for every observation reaches some observations' mentions only when close
            forward = Math.min(forward, lexicon.reach(m.target, family, true));
            back = Math.min(back, lexicon.reach(m.target, family, false));
        }
        int best = OUT_OF_SCOPE;
        if ((d == Direction.PRE || d == Direction.BOTH) && m.start >= t.end && m.start < t.scopeEnd) {
            int w = words[m.start - sentenceStart] - words[t.end - sentenceStart];
            if (w < forward) {
                best = w;
            }
        }
        if ((d == Direction.POST || d == Direction.BOTH) && m.end <= t.start && m.start >= t.scopeStart) {
            int w = words[t.start - sentenceStart] - words[m.end - sentenceStart];
            if (w < back) {
                best = Math.min(best, w);
            }
        }
        return best;
    }

    // ---- decisions ------------------------------------------------------------------------

    private void decide(Style style, Candidate m) {
        Assertion a;
        String cue = null;
        if (m.kind.isDescriptor()) {
            Trigger q = nearestQualifier(m, false);
            if (q == null) {
                q = nearestQualifier(m, true);
            }
            a = q == null ? null : m.kind == MentionKind.SIGN ? signAssertion(q.category) : switch (q.category) {
                case NEGATION, NORMAL -> Assertion.NEGATIVE;
                case ABNORMAL -> Assertion.POSITIVE;
                default -> Assertion.UNCERTAIN;
            };
            cue = a == null ? null : q.rule.source();
        } else {
            a = Assertion.POSITIVE;
            outer:
            for (TriggerCategory pass : FINDING_ORDER) {
                for (int k = 0; k < triggerCount; k++) {
                    Trigger t = triggers[k];
                    TriggerCategory c = t.category;
                    if (pass == TriggerCategory.NEGATION && c == TriggerCategory.NORMAL && normalPredicateNegates(t, m)) {
                        a = Assertion.NEGATIVE;
                        cue = t.rule.source();
                        break outer;
                    }
                    boolean applies = c == pass || (pass == TriggerCategory.UNCERTAIN && c == TriggerCategory.ALTERNATIVE);
                    if (applies && distance(t, m) != OUT_OF_SCOPE
                            && (c == TriggerCategory.ALTERNATIVE ? alternativeActive(t, m)
                            : c == TriggerCategory.NEGATION || reachesPastNearest(t, m))) {
                        a = pass == TriggerCategory.NEGATION ? Assertion.NEGATIVE : Assertion.UNCERTAIN;
                        cue = t.rule.source();
                        break outer;
                    }
                    if (pass == TriggerCategory.UNCERTAIN && c == pass && explainedAway(t, m)) {
                        a = Assertion.UNCERTAIN;
                        cue = t.rule.source();
                        break outer;
                    }
                }
            }
            if (m.kind == MentionKind.HINT) {
                a = a == Assertion.NEGATIVE ? null : Assertion.UNCERTAIN;
            } else if (m.kind == MentionKind.UNCERTAIN && a == Assertion.POSITIVE) {
                a = Assertion.UNCERTAIN;
                cue = m.rule.source();
            }
        }
        m.verdict[style.ordinal()] = a;
        m.cue[style.ordinal()] = cue;
    }

    /**
     * The qualifier of a descriptor: the nearest one in scope, ties broken by the CheXpert order.
     * "stable" only counts when nothing else qualifies ("heart size normal and stable" is normal).
     */
    private Trigger nearestQualifier(Candidate m, boolean stable) {
        Trigger best = null;
        int bestDistance = OUT_OF_SCOPE;
        int bestRank = OUT_OF_SCOPE;
        for (int k = 0; k < triggerCount; k++) {
            Trigger t = triggers[k];
            int rank = qualifierRank(t.category);
            if (rank == OUT_OF_SCOPE || (t.category == TriggerCategory.STABLE) != stable) {
                continue;
            }
            int d = distance(t, m);
            if (d != OUT_OF_SCOPE && (d < bestDistance || (d == bestDistance && rank < bestRank))) {
                best = t;
                bestDistance = d;
                bestRank = rank;
            }
        }
        return best;
    }

    /** "vascular engorgement appears normal": a [normal] predicate right after a finding (findings N). */
    private boolean normalPredicateNegates(Trigger t, Candidate m) {
        return t.rule.covers(m.target) && m.end <= t.start && m.start >= t.scopeStart
                && wordIndex(t.start) - wordIndex(m.end) < t.rule.findingWindow();
    }

    /** A sign (pulmonary vasculature) only ever suggests its observation: abnormal or hedged is uncertain. */
    private static Assertion signAssertion(TriggerCategory qualifier) {
        return switch (qualifier) {
            case ABNORMAL, UNCERTAIN, UNCERTAIN_BEFORE_NEGATION -> Assertion.UNCERTAIN;
            default -> null;
        };
    }

    private static int qualifierRank(TriggerCategory c) {
        return switch (c) {
            case UNCERTAIN_BEFORE_NEGATION -> 0;
            case NEGATION, NORMAL -> 1;
            case UNCERTAIN -> 2;
            case ABNORMAL -> 3;
            case STABLE -> 4;
            default -> OUT_OF_SCOPE;
        };
    }

    /**
     * "X or Y": X and Y are the findings right next to the trigger on each side, and Y is another
     * observation (or something a finding is weighed against, "nodule versus nipple shadow").
     * "Effusion or hemothorax" names one observation and stays positive; in "opacity, atelectasis
     * or pneumonia" the alternatives are atelectasis and pneumonia, not the opacity they explain.
     */
    private boolean alternativeActive(Trigger t, Candidate m) {
        boolean mentionBefore = m.end <= t.start;
        if (mentionBefore ? findingBetween(m.end, t.start) : findingBetween(t.end, m.start)) {
            return false;
        }
        TriggerRule r = t.rule;
        for (int i = 0; i < mentionCount; i++) {
            Candidate o = mentions[i];
            if (o == m || o.target == m.target || o.kind.isDescriptor()) {
                continue;
            }
            if (mentionBefore) {
                if (o.start >= t.end && o.start < t.scopeEnd && wordIndex(o.start) - wordIndex(t.end) < r.windowFwd()
                        && !findingBetween(t.end, o.start)) {
                    return true;
                }
            } else if (o.end <= t.start && o.start >= t.scopeStart && wordIndex(t.start) - wordIndex(o.end) < r.windowBack()
                    && !findingBetween(o.end, t.start)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A hedge says something about the finding next to it, and about findings further away only
     * when they form a list with it. Before the hedge the list needs a conjunction: "atelectasis,
     * effusion, or pneumonia cannot be excluded", not "opacity, pneumonia cannot be excluded".
     * After it, differential lists often go without a conjunction ("differential includes edema,
     * atypical infection, inflammation"), but "with" attaches another finding rather than listing
     * one ("suspected hilar mass with obstructive atelectasis"; "suggesting malignancy or
     * malignancy with postobstructive pneumonia" is a list again). (Negation keeps reaching along
     * lists both ways: "consolidation, effusion, pneumothorax are not seen".)
     */
    private boolean reachesPastNearest(Trigger t, Candidate m) {
        boolean after = m.start >= t.end;
        if (!(after ? findingBetween(t.end, m.start) : findingBetween(m.end, t.start))) {
            return true;
        }
        int from = after ? t.end : m.end;
        int to = after ? m.start : t.start;
        boolean with = false;
        for (int k = from; k < to; k++) {
            if (text.isWord(k) && isConjunction(k)) {
                return true;
            }
            with |= text.isWord(k) && isWord(k, "with");
        }
        return after && !with;
    }

    private boolean isWord(int token, String word) {
        int start = text.start(token);
        return text.end(token) - start == word.length() && text.text().startsWith(word, start);
    }

    /**
     * "Nodule, likely a nipple shadow", "lucency may represent a skin fold": a hedge right after a
     * finding that names something it is weighed against ([Alternative]) doubts the finding too.
     */
    private boolean explainedAway(Trigger t, Candidate m) {
        // the finding and its location ("nodular opacity at the right base may represent ...")
        if (m.end > t.start || t.rule.direction() == Direction.POST || wordIndex(t.start) - wordIndex(m.end) > 5
                || findingBetween(m.end, t.start)) {
            return false;
        }
        for (int i = 0; i < mentionCount; i++) {
            Candidate o = mentions[i];
            if (o.target == MentionRule.ALTERNATIVE && o.start >= t.end && o.start < t.scopeEnd
                    && wordIndex(o.start) - wordIndex(t.end) < t.rule.windowFwd() && !findingBetween(t.end, o.start)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a finding mention lies within tokens [from, to). */
    private boolean findingBetween(int from, int to) {
        for (int i = 0; i < mentionCount; i++) {
            Candidate o = mentions[i];
            if (!o.kind.isDescriptor() && o.start >= from && o.end <= to) {
                return true;
            }
        }
        return false;
    }
}
