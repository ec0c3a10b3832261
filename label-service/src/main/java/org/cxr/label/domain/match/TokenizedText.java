package org.cxr.label.domain.match;

import org.cxr.label.domain.text.TokenType;

/**
 * Normalised text as tokens with their lexicon keys, and sentence ranges over the tokens.
 * Built by {@link Lexicon#tokenize(String)}; read-only afterwards.
 */
public final class TokenizedText {
    final String text;
    int size;
    int[] start;
    int[] end;
    boolean[] word;
    /** keys of token i are keys[keyOffset[i] .. keyOffset[i+1]) */
    int[] keyOffset;
    int[] keys;
    int keyCount;
    final IntList sentenceStarts = new IntList(8);
    final IntList sentenceEnds = new IntList(8);

    TokenizedText(String text) {
        this.text = text;
        int cap = Math.max(8, text.length() / 3);
        start = new int[cap];
        end = new int[cap];
        word = new boolean[cap];
        keyOffset = new int[cap + 1];
        keys = new int[Math.max(16, text.length() + 8)];
    }

    void add(int s, int e, TokenType type) {
        if (size == start.length) {
            int cap = size * 2;
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
            word = java.util.Arrays.copyOf(word, cap);
            keyOffset = java.util.Arrays.copyOf(keyOffset, cap + 1);
        }
        start[size] = s;
        end[size] = e;
        word[size] = type == TokenType.WORD;
        size++;
    }

    public String text() {
        return text;
    }

    public int size() {
        return size;
    }

    public int start(int token) {
        return start[token];
    }

    public int end(int token) {
        return end[token];
    }

    public boolean isWord(int token) {
        return word[token];
    }

    /** Text covered by tokens [from, to). */
    public String span(int from, int to) {
        return from >= to ? "" : text.substring(start[from], end[to - 1]);
    }

    public int sentenceCount() {
        return sentenceStarts.size();
    }

    public int sentenceStart(int s) {
        return sentenceStarts.get(s);
    }

    public int sentenceEnd(int s) {
        return sentenceEnds.get(s);
    }
}
