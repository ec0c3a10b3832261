package org.cxr.label.domain.match;

import java.util.Arrays;

/**
 * The phrase occurrences of one sentence: occurrence i covers tokens [start(i), end(i)) and is
 * phrase {@code phrase(i)} of the lexicon. Reused across sentences (cleared, never shrunk) so that
 * matching allocates nothing per sentence.
 */
public final class PhraseMatches {
    private int[] start = new int[32];
    private int[] end = new int[32];
    private int[] phrase = new int[32];
    private int size;

    void add(int from, int to, int phraseId) {
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            end = Arrays.copyOf(end, size * 2);
            phrase = Arrays.copyOf(phrase, size * 2);
        }
        start[size] = from;
        end[size] = to;
        phrase[size] = phraseId;
        size++;
    }

    public int start(int i) {
        return start[i];
    }

    public int end(int i) {
        return end[i];
    }

    public int phrase(int i) {
        return phrase[i];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }
}
