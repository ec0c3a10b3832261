package org.cxr.label.domain.match;

import java.util.ArrayList;
import java.util.List;

import org.cxr.label.domain.rules.MentionRule;
import org.cxr.label.domain.rules.RuleFormatException;
import org.cxr.label.domain.rules.RuleSet;
import org.cxr.label.domain.rules.TriggerCategory;
import org.cxr.label.domain.rules.TriggerRule;
import org.cxr.label.domain.text.TokenType;
import org.cxr.label.domain.text.Tokenizer;

/**
 * Every mention and trigger phrase of a rule set compiled into one trie over token keys.
 * Matching a sentence walks the trie once from each token: cost grows with the sentence,
 * not with the number of phrases, and no regular expression is involved.
 */
public final class Lexicon {
    private final Vocabulary vocab = new Vocabulary();
    private final Tokenizer tokenizer;
    private final LongIntMap edges = new LongIntMap(8192);
    private final List<int[]> payloads = new ArrayList<>();
    private int[][] payload;
    private final MentionRule[] mentions;
    private final TriggerRule[] triggers;
    private final RuleSet rules;

    private Lexicon(RuleSet rules) {
        this.rules = rules;
        tokenizer = new Tokenizer(rules.abbreviations());
        payloads.add(null);
        List<MentionRule> m = rules.mentions();
        List<TriggerRule> t = rules.triggers();
        mentions = new MentionRule[m.size() + t.size()];
        triggers = new TriggerRule[m.size() + t.size()];
        int id = 0;
        for (MentionRule r : m) {
            mentions[id] = r;
            insert(r.tokens(), id++);
        }
        for (TriggerRule r : t) {
            triggers[id] = r;
            insert(r.tokens(), id++);
        }
        payload = payloads.toArray(new int[0][]);
        vocab.freeze();
        checkDuplicates();
    }

    public static Lexicon compile(RuleSet rules) {
        return new Lexicon(rules);
    }

    private void insert(List<String> tokens, int id) {
        int node = 0;
        for (String tok : tokens) {
            int key = tok.endsWith("*") ? vocab.stemKey(tok.substring(0, tok.length() - 1)) : vocab.wordKey(tok);
            long e = edge(node, key);
            int next = edges.get(e);
            if (next < 0) {
                next = payloads.size();
                payloads.add(null);
                edges.put(e, next);
            }
            node = next;
        }
        int[] old = payloads.get(node);
        int[] now = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
        now[now.length - 1] = id;
        payloads.set(node, now);
    }

    /** Two identical phrases that could both fire make the rule files ambiguous. */
    private void checkDuplicates() {
        for (int[] ids : payload) {
            if (ids == null || ids.length < 2) {
                continue;
            }
            for (int i = 0; i < ids.length; i++) {
                for (int j = i + 1; j < ids.length; j++) {
                    String clash = clash(ids[i], ids[j]);
                    if (clash != null) {
                        throw new RuleFormatException(clash);
                    }
                }
            }
        }
    }

    private String clash(int a, int b) {
        if (triggers[a] != null && triggers[b] != null && (triggers[a].styles() & triggers[b].styles()) != 0) {
            return "the same trigger phrase twice: " + triggers[a].source() + " / " + triggers[b].source();
        }
        if (mentions[a] != null && mentions[b] != null && mentions[a].target() == mentions[b].target()) {
            return "the same mention phrase twice for one observation: " + mentions[a].source() + " / " + mentions[b].source();
        }
        return null;
    }

    /** Tokenises normalised text and looks up each token's keys. */
    public TokenizedText tokenize(String normalised) {
        TokenizedText t = new TokenizedText(normalised);
        int[] sentenceOpen = {0};
        tokenizer.scan(normalised, false, new Tokenizer.Sink() {
            @Override
            public void token(int start, int end, TokenType type) {
                int i = t.size;
                t.add(start, end, type);
                if (t.keys.length < t.keyCount + (end - start) + 1) {
                    t.keys = java.util.Arrays.copyOf(t.keys, (t.keys.length + end - start + 1) * 2);
                }
                t.keyOffset[i] = t.keyCount;
                t.keyCount = vocab.lookup(normalised, start, end, t.keys, t.keyCount);
                t.keyOffset[i + 1] = t.keyCount;
            }

            @Override
            public void sentenceEnd() {
                if (t.size > sentenceOpen[0]) {
                    t.sentenceStarts.add(sentenceOpen[0]);
                    t.sentenceEnds.add(t.size);
                }
                sentenceOpen[0] = t.size;
            }
        });
        return t;
    }

    /**
     * Appends every phrase occurrence within tokens [from, to) to out — all of them, overlapping
     * ones included; callers resolve overlaps. The scratch lists hold trie states (reused).
     */
    public void match(TokenizedText t, int from, int to, PhraseMatches out, IntList scratchA, IntList scratchB) {
        for (int i = from; i < to; i++) {
            IntList states = scratchA;
            IntList next = scratchB;
            states.clear();
            states.add(0);
            for (int j = i; j < to && states.size() > 0; j++) {
                next.clear();
                for (int s = 0; s < states.size(); s++) {
                    int node = states.get(s);
                    for (int k = t.keyOffset[j]; k < t.keyOffset[j + 1]; k++) {
                        int child = edges.get(edge(node, t.keys[k]));
                        if (child >= 0) {
                            next.add(child);
                            int[] ids = payload[child];
                            if (ids != null) {
                                for (int id : ids) {
                                    out.add(i, j + 1, id);
                                }
                            }
                        }
                    }
                }
                IntList swap = states;
                states = next;
                next = swap;
            }
        }
    }

    public boolean isTrigger(int phrase) {
        return triggers[phrase] != null;
    }

    public MentionRule mention(int phrase) {
        return mentions[phrase];
    }

    public TriggerRule trigger(int phrase) {
        return triggers[phrase];
    }

    /** See {@link RuleSet#reach(int, TriggerCategory.Family, boolean)}. */
    public int reach(int target, TriggerCategory.Family family, boolean forward) {
        return rules.reach(target, family, forward);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int vocabularySize() {
        return vocab.size();
    }

    private static long edge(int node, int key) {
        return ((long) node << 32) | (key & 0xffffffffL);
    }
}
