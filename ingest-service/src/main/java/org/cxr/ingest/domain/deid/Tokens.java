package org.cxr.ingest.domain.deid;

import java.util.Arrays;

/**
 * A report cut into tokens in one pass: words (letters, with inner apostrophes and hyphens:
 * O'Brien, Swan-Ganz), numbers (digits), mixed letters and digits (A12345, T10, 4th), single
 * punctuation characters and whitespace runs. The scrubber's rules look at a bounded window of
 * tokens around each position, so scrubbing stays linear in the text's length.
 */
final class Tokens {
    enum Kind { WORD, NUMBER, ALNUM, PUNCT, SPACE }

    final String text;
    private int n;
    private Kind[] kind = new Kind[256];
    private int[] start = new int[256];
    private int[] end = new int[256];

    Tokens(String text) {
        this.text = text;
        int len = text.length();
        int i = 0;
        while (i < len) {
            char c = text.charAt(i);
            int j = i + 1;
            if (Character.isWhitespace(c)) {
                while (j < len && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
                add(Kind.SPACE, i, j);
            } else if (Character.isLetterOrDigit(c)) {
                boolean letters = Character.isLetter(c);
                boolean digits = !letters;
                while (j < len) {
                    char d = text.charAt(j);
                    if (Character.isLetterOrDigit(d)) {
                        letters |= Character.isLetter(d);
                        digits |= Character.isDigit(d);
                        j++;
                    } else if ((d == '\'' || d == '\u2019' || d == '-') && j + 1 < len && Character.isLetter(text.charAt(j + 1))
                            && Character.isLetter(text.charAt(j - 1)) && !digits) {
                        j++; // O'Brien, Swan-Ganz: one word
                    } else {
                        break;
                    }
                }
                add(letters && digits ? Kind.ALNUM : letters ? Kind.WORD : Kind.NUMBER, i, j);
            } else {
                add(Kind.PUNCT, i, j);
            }
            i = j;
        }
    }

    private void add(Kind k, int s, int e) {
        if (n == kind.length) {
            kind = Arrays.copyOf(kind, n * 2);
            start = Arrays.copyOf(start, n * 2);
            end = Arrays.copyOf(end, n * 2);
        }
        kind[n] = k;
        start[n] = s;
        end[n] = e;
        n++;
    }

    int size() {
        return n;
    }

    Kind kind(int i) {
        return i >= 0 && i < n ? kind[i] : null;
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    String text(int i) {
        return text.substring(start[i], end[i]);
    }

    int length(int i) {
        return end[i] - start[i];
    }

    boolean is(int i, Kind k) {
        return i >= 0 && i < n && kind[i] == k;
    }

    /** A punctuation token equal to {@code c}. */
    boolean punct(int i, char c) {
        return is(i, Kind.PUNCT) && text.charAt(start[i]) == c;
    }

    /**
     * Whitespace within a paragraph: at most one line break, since dictations are wrapped at a
     * fixed width and a name, date or phone number continues on the next line; a blank line ends it.
     */
    boolean inlineSpace(int i) {
        if (!is(i, Kind.SPACE)) {
            return false;
        }
        int breaks = 0;
        for (int k = start[i]; k < end[i]; k++) {
            if (text.charAt(k) == '\n' && ++breaks > 1) {
                return false;
            }
        }
        return true;
    }

    /** The next token that is not whitespace (within the line), or -1. */
    int next(int i) {
        int j = i + 1;
        if (inlineSpace(j)) {
            j++;
        }
        return j < n && kind[j] != Kind.SPACE ? j : -1;
    }

    /** The previous token that is not whitespace (within the line), or -1. */
    int prev(int i) {
        int j = i - 1;
        if (inlineSpace(j)) {
            j--;
        }
        return j >= 0 && kind[j] != Kind.SPACE ? j : -1;
    }

    private String[] lower;

    /** The token's text in lower case, as words are looked up (computed once per token). */
    String lower(int i) {
        if (lower == null) {
            lower = new String[n];
        }
        String l = lower[i];
        if (l == null) {
            l = text(i).toLowerCase(java.util.Locale.ROOT);
            lower[i] = l;
        }
        return l;
    }

    /** The first character of token {@code i}. */
    char first(int i) {
        return text.charAt(start[i]);
    }
}
