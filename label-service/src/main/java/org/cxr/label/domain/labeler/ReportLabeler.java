package org.cxr.label.domain.labeler;

import java.util.ArrayList;
import java.util.List;

import org.cxr.events.Observation;
import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.match.Lexicon;
import org.cxr.label.domain.match.TokenizedText;
import org.cxr.label.domain.rules.MentionRule;
import org.cxr.label.domain.rules.RuleSet;
import org.cxr.label.domain.text.Normaliser;

/**
 * Labels a text in both styles in one pass: normalise, tokenise, split sentences, find and decide
 * mentions, then combine per study (dataset-contract §5). Thread-safe; the compiled lexicon is
 * shared and each call has its own working state.
 */
public final class ReportLabeler {
    private static final int OBSERVATIONS = Observation.all().size();

    private final RuleSet rules;
    private final Lexicon lexicon;

    public ReportLabeler(RuleSet rules) {
        this.rules = rules;
        this.lexicon = Lexicon.compile(rules);
    }

    /** e.g. "cxr-label/1.0 rules v1 sha256:abcd1234". */
    public String version() {
        return rules.version();
    }

    /** Labels a text; the mentions' offsets are characters of this text. */
    public LabelOutcome label(String text) {
        Normaliser.Mapped normalised = Normaliser.normaliseMapped(text);
        TokenizedText t = lexicon.tokenize(normalised.text());
        SentenceAnalyzer analyzer = new SentenceAnalyzer(lexicon);
        List<Mention> mentions = new ArrayList<>();
        for (int s = 0; s < t.sentenceCount(); s++) {
            analyzer.analyse(t, s, -1, -1, normalised, mentions);
        }
        return new LabelOutcome(combine(mentions, Style.CHEXPERT), combine(mentions, Style.NEGBIO), List.copyOf(mentions));
    }

    /**
     * Decides one ad-hoc target phrase (the occurrence-th match of its words, counting from 0)
     * in a sentence — the scope engine on its own, as scored on the NegEx test kit. The last word
     * of the target may be cut short ("transplantatio"); a target that runs over a sentence end
     * is decided in the sentence where it ends. Returns null when the target does not occur.
     */
    public Assertion assess(String sentence, String target, int occurrence, Style style) {
        TokenizedText t = lexicon.tokenize(Normaliser.normalise(sentence));
        List<String> words = lexicon.tokenizer().phraseTokens(target.replace("*", ""));
        if (words.isEmpty()) {
            return null;
        }
        int seen = 0;
        for (int i = 0; i + words.size() <= t.size(); i++) {
            if (!matchesAt(t, i, words) || seen++ < occurrence) {
                continue;
            }
            int end = i + words.size();
            for (int s = 0; s < t.sentenceCount(); s++) {
                if (end > t.sentenceStart(s) && end <= t.sentenceEnd(s)) {
                    List<Mention> out = new ArrayList<>();
                    int idx = new SentenceAnalyzer(lexicon).analyse(t, s, Math.max(i, t.sentenceStart(s)), end, null, out);
                    return idx < 0 ? Assertion.POSITIVE : out.get(idx).assertion(style);
                }
            }
            return null;
        }
        return null;
    }

    private static boolean matchesAt(TokenizedText t, int i, List<String> words) {
        for (int k = 0; k < words.size(); k++) {
            String w = words.get(k);
            int s = t.start(i + k);
            int len = t.end(i + k) - s;
            boolean last = k == words.size() - 1;
            if ((last ? len < w.length() : len != w.length()) || !t.text().regionMatches(s, w, 0, w.length())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per-study combination. CheXpert style: positive wins, then uncertain, then negative.
     * NegBio style: positive wins, then negative, then uncertain. No Finding = 1 unless an
     * observation other than Support Devices ends positive or uncertain (CheXpert style: or an
     * other abnormal finding is positive/uncertain); otherwise blank.
     */
    static LabelledRow combine(List<Mention> mentions, Style style) {
        boolean[] pos = new boolean[OBSERVATIONS];
        boolean[] neg = new boolean[OBSERVATIONS];
        boolean[] unc = new boolean[OBSERVATIONS];
        boolean otherAbnormal = false;
        for (Mention m : mentions) {
            Assertion a = m.assertion(style);
            if (a == null || m.target() < 0) {
                continue;
            }
            if (m.target() == MentionRule.OTHER) {
                otherAbnormal |= a != Assertion.NEGATIVE;
                continue;
            }
            switch (a) {
                case POSITIVE -> pos[m.target()] = true;
                case NEGATIVE -> neg[m.target()] = true;
                case UNCERTAIN -> unc[m.target()] = true;
            }
        }
        LabelCell[] v = new LabelCell[OBSERVATIONS];
        boolean abnormal = style == Style.CHEXPERT && otherAbnormal;
        for (int i = 0; i < OBSERVATIONS; i++) {
            if (pos[i]) {
                v[i] = LabelCell.POSITIVE;
            } else if (unc[i] && (style == Style.CHEXPERT || !neg[i])) {
                v[i] = LabelCell.UNCERTAIN;
            } else if (neg[i]) {
                v[i] = LabelCell.NEGATIVE;
            } else {
                v[i] = LabelCell.BLANK;
            }
            boolean counts = i != Observation.SUPPORT_DEVICES.ordinal() && i != Observation.NO_FINDING.ordinal();
            if (counts && (v[i] == LabelCell.POSITIVE || v[i] == LabelCell.UNCERTAIN)) {
                abnormal = true;
            }
        }
        v[Observation.NO_FINDING.ordinal()] = abnormal ? LabelCell.BLANK : LabelCell.POSITIVE;
        return LabelledRow.of(v);
    }
}
