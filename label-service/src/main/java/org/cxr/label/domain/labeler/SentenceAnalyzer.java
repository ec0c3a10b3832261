package org.cxr.label.domain.labeler;

import java.util.List;

import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.match.IntList;
import org.cxr.label.domain.match.Lexicon;
import org.cxr.label.domain.match.TokenizedText;
import org.cxr.label.domain.rules.Direction;
import org.cxr.label.domain.rules.MentionKind;
import org.cxr.label.domain.rules.MentionRule;
import org.cxr.label.domain.rules.TriggerCategory;
import org.cxr.label.domain.rules.TriggerRule;

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
 * nothing else applies) and is dropped when none applies; a qualifier right after a negation or hedge takes its meaning
 * ("not significantly enlarged", "possibly enlarged").
 */
final class SentenceAnalyzer {
    private static final int NO = Integer.MAX_VALUE;
    private static final TriggerCategory[] FINDING_ORDER = {
        TriggerCategory.UNCERTAIN_BEFORE_NEGATION, TriggerCategory.NEGATION, TriggerCategory.UNCERTAIN};

    private final Lexicon lex;
    private final IntList matches = new IntList(96);
    private final IntList scratchA = new IntList(8);
    private final IntList scratchB = new IntList(8);

    private TokenizedText text;
    private int s0;
    private int[] cum = new int[64];
    /** like cum, but without the words of finding mentions and of "and"/"or"/"nor" (see countListWords) */
    private int[] listCum = new int[64];

    private int mc;
    private int[] mStart = new int[16];
    private int[] mEnd = new int[16];
    private int[] mTarget = new int[16];
    private MentionKind[] mKind = new MentionKind[16];

    private int tc;
    private int[] tStart = new int[16];
    private int[] tEnd = new int[16];
    private int[] tFwd = new int[16];
    private int[] tBack = new int[16];
    private TriggerRule[] tRule = new TriggerRule[16];
    private TriggerCategory[] tCat = new TriggerCategory[16];
    private int[] order = new int[16];

    /** decided per style: assertion and cue of each mention of the current sentence */
    private Assertion[][] verdict = new Assertion[2][16];
    private String[][] cue = new String[2][16];

    SentenceAnalyzer(Lexicon lex) {
        this.lex = lex;
    }

    /**
     * Finds and decides the mentions of sentence `sentence`, appending them to out. When
     * extraStart >= 0, tokens [extraStart, extraEnd) are decided too as an ad-hoc target
     * (target -1); returns its index in out, or -1.
     */
    int analyse(TokenizedText t, int sentence, int extraStart, int extraEnd, List<Mention> out) {
        int s = t.sentenceStart(sentence);
        int e = t.sentenceEnd(sentence);
        s0 = s;
        text = t;
        matches.clear();
        lex.match(t, s, e, matches, scratchA, scratchB);
        if (cum.length < e - s + 1) {
            cum = new int[(e - s + 1) * 2];
            listCum = new int[cum.length];
        }
        cum[0] = 0;
        for (int k = s; k < e; k++) {
            cum[k - s + 1] = cum[k - s] + (t.isWord(k) ? 1 : 0);
        }
        collectMentions(extraStart, extraEnd);
        if (mc == 0) {
            return -1;
        }
        countListWords(s, e);
        if (verdict[0].length < mc) {
            verdict = new Assertion[2][mc * 2];
            cue = new String[2][mc * 2];
        }
        for (Style style : Style.values()) {
            int st = style.ordinal();
            selectTriggers(st, s, e);
            for (int i = 0; i < mc; i++) {
                decide(st, i);
            }
        }
        int extraIndex = -1;
        for (int i = 0; i < mc; i++) {
            Assertion c = verdict[0][i];
            Assertion n = verdict[1][i];
            if (c == null && n == null) {
                continue;
            }
            if (mTarget[i] < 0) {
                extraIndex = out.size();
            }
            out.add(new Mention(mTarget[i], mKind[i], sentence, t.span(mStart[i], mEnd[i]), c, n, cue[0][i], cue[1][i]));
        }
        return extraIndex;
    }

    private boolean isComma(int token) {
        return !text.isWord(token) && text.text().charAt(text.start(token)) == ',';
    }

    private int words(int token) {
        return cum[token - s0];
    }

    // ---- mentions -------------------------------------------------------------------------

    private void collectMentions(int extraStart, int extraEnd) {
        mc = 0;
        int n = matches.size();
        for (int a = 0; a < n; a += 3) {
            int id = matches.get(a + 2);
            if (lex.isTrigger(id)) {
                continue;
            }
            MentionRule r = lex.mention(id);
            if (r.kind() == MentionKind.EXCLUDE) {
                continue;
            }
            int st = matches.get(a);
            int en = matches.get(a + 1);
            if (!suppressed(st, en, r.target(), a)) {
                addMention(st, en, r.target(), r.kind());
            }
        }
        if (extraStart >= 0) {
            addMention(extraStart, extraEnd, -1, MentionKind.FINDING);
        }
    }

    /** Excluded by an overlapping exclude phrase, inside a longer mention, or a duplicate. */
    private boolean suppressed(int st, int en, int target, int self) {
        int n = matches.size();
        for (int b = 0; b < n; b += 3) {
            int id = matches.get(b + 2);
            if (b == self || lex.isTrigger(id) || lex.mention(id).target() != target) {
                continue;
            }
            int s2 = matches.get(b);
            int e2 = matches.get(b + 1);
            if (lex.mention(id).kind() == MentionKind.EXCLUDE) {
                if (s2 < en && st < e2) {
                    return true;
                }
            } else if (s2 <= st && e2 >= en && (e2 - s2 > en - st || (e2 - s2 == en - st && b < self))) {
                return true;
            }
        }
        return false;
    }

    private void addMention(int st, int en, int target, MentionKind kind) {
        if (mc == mStart.length) {
            int cap = mc * 2;
            mStart = java.util.Arrays.copyOf(mStart, cap);
            mEnd = java.util.Arrays.copyOf(mEnd, cap);
            mTarget = java.util.Arrays.copyOf(mTarget, cap);
            mKind = java.util.Arrays.copyOf(mKind, cap);
        }
        mStart[mc] = st;
        mEnd[mc] = en;
        mTarget[mc] = target;
        mKind[mc] = kind;
        mc++;
    }

    /**
     * A list of findings shares its trigger ("no effusion, consolidation, pneumothorax or edema";
     * "consolidation, atelectasis and blunting in the left base have cleared"): the words of other
     * finding mentions and the conjunctions between them do not use up a trigger's window.
     */
    private void countListWords(int s, int e) {
        listCum[0] = 0;
        for (int k = s; k < e; k++) {
            boolean counts = text.isWord(k) && !isConjunction(k);
            for (int i = 0; i < mc && counts; i++) {
                counts = mKind[i] == MentionKind.DESCRIPTOR || k < mStart[i] || k >= mEnd[i];
            }
            listCum[k - s + 1] = listCum[k - s] + (counts ? 1 : 0);
        }
    }

    private boolean isConjunction(int token) {
        int st = text.start(token);
        int len = text.end(token) - st;
        String x = text.text();
        return (len == 3 && (x.startsWith("and", st) || x.startsWith("nor", st))) || (len == 2 && x.startsWith("or", st));
    }

    // ---- triggers -------------------------------------------------------------------------

    private void selectTriggers(int style, int s, int e) {
        int n = 0;
        for (int a = 0; a < matches.size(); a += 3) {
            int id = matches.get(a + 2);
            if (lex.isTrigger(id) && (lex.trigger(id).styles() & (1 << style)) != 0) {
                if (n == order.length) {
                    order = java.util.Arrays.copyOf(order, n * 2);
                }
                order[n++] = a;
            }
        }
        // leftmost first, longest first at the same start
        for (int i = 1; i < n; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && before(x, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
        tc = 0;
        int lastEnd = -1;
        for (int i = 0; i < n; i++) {
            int a = order[i];
            if (matches.get(a) < lastEnd) {
                continue;
            }
            ensureTriggerCapacity();
            tStart[tc] = matches.get(a);
            tEnd[tc] = matches.get(a + 1);
            tRule[tc] = lex.trigger(matches.get(a + 2));
            tCat[tc] = tRule[tc].category();
            lastEnd = tEnd[tc];
            tc++;
        }
        for (int q = 1; q < tc; q++) {
            TriggerCategory c = tCat[q];
            TriggerRule p = tRule[q - 1];
            // a hedge right after a negation belongs to it: "no suspicious nodules" is negative
            if (c.family() == 2 && p.category() == TriggerCategory.NEGATION && p.direction() != Direction.POST
                    && tStart[q] == tEnd[q - 1]) {
                tCat[q] = TriggerCategory.PSEUDO;
                continue;
            }
            if ((c == TriggerCategory.ABNORMAL || c == TriggerCategory.STABLE)
                    && (p.category() == TriggerCategory.NEGATION || p.category().family() == 2)
                    && p.direction() != Direction.POST && words(tStart[q]) - words(tEnd[q - 1]) <= 2) {
                tCat[q] = p.category() == TriggerCategory.NEGATION ? TriggerCategory.NEGATION : TriggerCategory.UNCERTAIN;
            }
        }
        for (int i = 0; i < tc; i++) {
            tFwd[i] = e;
            for (int j = i + 1; j < tc; j++) {
                if (ends(j, i)) {
                    tFwd[i] = tStart[j];
                    break;
                }
            }
            if (tCat[i] == TriggerCategory.ABNORMAL) {
                // an adjective ("enlarged heart") qualifies what follows within its phrase only
                for (int k = tEnd[i]; k < tFwd[i]; k++) {
                    if (isComma(k)) {
                        tFwd[i] = k;
                        break;
                    }
                }
            }
            tBack[i] = s;
            for (int j = i - 1; j >= 0; j--) {
                if (ends(j, i)) {
                    tBack[i] = tEnd[j];
                    break;
                }
            }
        }
    }

    private boolean before(int a, int b) {
        int sa = matches.get(a);
        int sb = matches.get(b);
        if (sa != sb) {
            return sa < sb;
        }
        return matches.get(a + 1) > matches.get(b + 1);
    }

    private static boolean breaking(TriggerCategory c) {
        int f = c.family();
        return f == 1 || f == 2;
    }

    /** Whether trigger j ends the scope of trigger i. */
    private boolean ends(int j, int i) {
        TriggerCategory cj = tCat[j];
        return cj == TriggerCategory.TERMINATE || (breaking(cj) && cj.family() != tCat[i].family());
    }

    private void ensureTriggerCapacity() {
        if (tc == tStart.length) {
            int cap = tc * 2;
            tStart = java.util.Arrays.copyOf(tStart, cap);
            tEnd = java.util.Arrays.copyOf(tEnd, cap);
            tFwd = java.util.Arrays.copyOf(tFwd, cap);
            tBack = java.util.Arrays.copyOf(tBack, cap);
            tRule = java.util.Arrays.copyOf(tRule, cap);
            tCat = java.util.Arrays.copyOf(tCat, cap);
        }
    }

    /** Word distance from trigger k to mention m if m lies in k's scope, else NO. */
    private int distance(int k, int m) {
        TriggerRule r = tRule[k];
        long applies = r.appliesTo();
        if (applies != 0 && (mTarget[m] < 0 || mTarget[m] >= 64 || (applies & (1L << mTarget[m])) == 0)) {
            return NO;
        }
        Direction d = r.direction();
        boolean list = mKind[m] != MentionKind.DESCRIPTOR && (tCat[k].family() == 2 || tCat[k] == TriggerCategory.NEGATION);
        int[] c = list ? listCum : cum;
        int best = NO;
        if ((d == Direction.PRE || d == Direction.BOTH) && mStart[m] >= tEnd[k] && mStart[m] < tFwd[k]) {
            int w = c[mStart[m] - s0] - c[tEnd[k] - s0];
            if (w < r.windowFwd()) {
                best = w;
            }
        }
        if ((d == Direction.POST || d == Direction.BOTH) && mEnd[m] <= tStart[k] && mStart[m] >= tBack[k]) {
            int w = c[tStart[k] - s0] - c[mEnd[m] - s0];
            if (w < r.windowBack()) {
                best = Math.min(best, w);
            }
        }
        return best;
    }

    // ---- decisions ------------------------------------------------------------------------

    private void decide(int style, int m) {
        Assertion a;
        String c = null;
        if (mKind[m] == MentionKind.DESCRIPTOR) {
            int best = nearestQualifier(m, false);
            if (best < 0) {
                best = nearestQualifier(m, true);
            }
            if (best < 0) {
                a = null;
            } else {
                a = switch (tCat[best]) {
                    case NEGATION, NORMAL -> Assertion.NEGATIVE;
                    case ABNORMAL -> Assertion.POSITIVE;
                    default -> Assertion.UNCERTAIN;
                };
                c = tRule[best].source();
            }
        } else {
            a = Assertion.POSITIVE;
            outer:
            for (TriggerCategory pass : FINDING_ORDER) {
                for (int k = 0; k < tc; k++) {
                    TriggerCategory rc = tCat[k];
                    if (pass == TriggerCategory.NEGATION && rc == TriggerCategory.NORMAL && normalPredicateNegates(k, m)) {
                        a = Assertion.NEGATIVE;
                        c = tRule[k].source();
                        break outer;
                    }
                    boolean applies = rc == pass || (pass == TriggerCategory.UNCERTAIN && rc == TriggerCategory.ALTERNATIVE);
                    if (applies && distance(k, m) != NO && (rc != TriggerCategory.ALTERNATIVE || alternativeActive(k, m))) {
                        a = pass == TriggerCategory.NEGATION ? Assertion.NEGATIVE : Assertion.UNCERTAIN;
                        c = tRule[k].source();
                        break outer;
                    }
                }
            }
            if (mKind[m] == MentionKind.HINT) {
                a = a == Assertion.NEGATIVE ? null : Assertion.UNCERTAIN;
            }
        }
        verdict[style][m] = a;
        cue[style][m] = c;
    }

    /**
     * The qualifier of a descriptor: the nearest one in scope, ties broken by the CheXpert order.
     * "stable" only counts when nothing else qualifies ("heart size normal and stable" is normal).
     */
    private int nearestQualifier(int m, boolean stable) {
        int best = -1;
        int bestDist = NO;
        int bestRank = NO;
        for (int k = 0; k < tc; k++) {
            int rank = qualifierRank(tCat[k]);
            if (rank == NO || (tCat[k] == TriggerCategory.STABLE) != stable) {
                continue;
            }
            int d = distance(k, m);
            if (d != NO && (d < bestDist || (d == bestDist && rank < bestRank))) {
                best = k;
                bestDist = d;
                bestRank = rank;
            }
        }
        return best;
    }

    /** "vascular engorgement appears normal": a [normal] predicate right after a finding (findings N). */
    private boolean normalPredicateNegates(int k, int m) {
        TriggerRule r = tRule[k];
        long applies = r.appliesTo();
        boolean observation = applies == 0 || (mTarget[m] >= 0 && mTarget[m] < 64 && (applies & (1L << mTarget[m])) != 0);
        return observation && mEnd[m] <= tStart[k] && mStart[m] >= tBack[k] && words(tStart[k]) - words(mEnd[m]) < r.findingWindow();
    }

    private static int qualifierRank(TriggerCategory c) {
        return switch (c) {
            case UNCERTAIN_BEFORE_NEGATION -> 0;
            case NEGATION, NORMAL -> 1;
            case UNCERTAIN -> 2;
            case ABNORMAL -> 3;
            case STABLE -> 4;
            default -> NO;
        };
    }

    /**
     * "X or Y": a mention of another observation must stand on the other side of the trigger,
     * within its scope ("effusion or hemothorax" names one observation and stays positive).
     */
    private boolean alternativeActive(int k, int m) {
        boolean mBefore = mEnd[m] <= tStart[k];
        TriggerRule r = tRule[k];
        for (int o = 0; o < mc; o++) {
            if (o == m || mTarget[o] == mTarget[m]) {
                continue;
            }
            if (mBefore) {
                if (mStart[o] >= tEnd[k] && mStart[o] < tFwd[k] && words(mStart[o]) - words(tEnd[k]) < r.windowFwd()) {
                    return true;
                }
            } else if (mEnd[o] <= tStart[k] && mStart[o] >= tBack[k] && words(tStart[k]) - words(mEnd[o]) < r.windowBack()) {
                return true;
            }
        }
        return false;
    }
}
