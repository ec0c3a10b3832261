package org.cxr.label.domain.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits normalised text into word and punctuation tokens and sentences.
 * <ul>
 * <li>A word is a run of letters/digits; "1.5" stays one word. Hyphens, apostrophes, quotes and
 * other symbols separate words without producing a token ("air-space" = "air space").</li>
 * <li>A sentence ends at '.', '!' (unless the period follows an abbreviation from the rule
 * files, or belongs to single letters as in "e.g.") and after a '?' that directly follows a word
 * ("effusion? ..."); a '?' before a word ("?pneumonia") is a token of the sentence. A list
 * number ends the item before it: "2." and "2)" (not "(2)").</li>
 * </ul>
 * The same scanner tokenises the phrase lists, so phrases and text always agree.
 */
public final class Tokenizer {
    /** Callback for each token; sentenceEnd is signalled between tokens. */
    public interface Sink {
        void token(int start, int end, TokenType type);

        void sentenceEnd();
    }

    private final String[] abbreviations;

    public Tokenizer(List<String> abbreviations) {
        this.abbreviations = abbreviations.toArray(new String[0]);
    }

    /** Scans text; with allowStar a trailing '*' stays part of the word (phrase lists only). */
    public void scan(CharSequence text, boolean allowStar, Sink sink) {
        int n = text.length();
        int i = 0;
        int lastWordStart = -1;
        int lastWordEnd = -1;
        boolean open = false;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                int s = i;
                i++;
                while (i < n) {
                    char d = text.charAt(i);
                    if (Character.isLetterOrDigit(d)) {
                        i++;
                    } else if (d == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))
                            && Character.isDigit(text.charAt(i - 1))) {
                        i++;
                    } else {
                        break;
                    }
                }
                if (allowStar && i < n && text.charAt(i) == '*') {
                    i++;
                }
                sink.token(s, i, TokenType.WORD);
                lastWordStart = s;
                lastWordEnd = i;
                open = true;
                continue;
            }
            switch (c) {
                case '.', '!' -> {
                    boolean singleLetter = c == '.' && lastWordEnd == i && lastWordEnd - lastWordStart == 1
                            && Character.isLetter(text.charAt(lastWordStart));
                    // "e.g." and "i.e.": periods between and after single letters; a digit is a list
                    // number ("1.No pneumothorax 2.Small effusion")
                    boolean joinsLetters = singleLetter && ((i + 1 < n && Character.isLetter(text.charAt(i + 1)))
                            || (lastWordStart > 0 && text.charAt(lastWordStart - 1) == '.'));
                    boolean abbreviation = c == '.' && lastWordEnd == i && isAbbreviation(text, lastWordStart, lastWordEnd);
                    if (open && !joinsLetters && !abbreviation) {
                        sink.sentenceEnd();
                        open = false;
                    }
                }
                case '?' -> {
                    sink.token(i, i + 1, TokenType.PUNCT);
                    open = true;
                    if (lastWordEnd == i) {
                        sink.sentenceEnd();
                        open = false;
                    }
                }
                case ',', ';', ':', '(', ')' -> {
                    sink.token(i, i + 1, TokenType.PUNCT);
                    open = true;
                    // "1) no pneumothorax 2) small effusion": a list number ends the item before it
                    if (c == ')' && lastWordEnd == i && isListNumber(text, lastWordStart, lastWordEnd)) {
                        sink.sentenceEnd();
                        open = false;
                    }
                }
                default -> {
                    // separator
                }
            }
            i++;
        }
        if (open) {
            sink.sentenceEnd();
        }
    }

    /** One or two digits not inside parentheses: "2)" but not "(2)". */
    private static boolean isListNumber(CharSequence text, int start, int end) {
        if (end - start > 2) {
            return false;
        }
        for (int k = start; k < end; k++) {
            if (!Character.isDigit(text.charAt(k))) {
                return false;
            }
        }
        int before = start - 1;
        while (before >= 0 && text.charAt(before) == ' ') {
            before--;
        }
        return before < 0 || text.charAt(before) != '(';
    }

    private boolean isAbbreviation(CharSequence text, int start, int end) {
        int len = end - start;
        for (String a : abbreviations) {
            if (a.length() == len && regionEquals(text, start, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(CharSequence text, int start, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (text.charAt(start + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The tokens of a phrase from a rule file (normalised first; '*' kept on stems). */
    public List<String> phraseTokens(String phrase) {
        String norm = Normaliser.normalise(phrase);
        List<String> out = new ArrayList<>();
        scan(norm, true, new Sink() {
            @Override
            public void token(int start, int end, TokenType type) {
                out.add(norm.substring(start, end));
            }

            @Override
            public void sentenceEnd() {
                // phrases are single fragments; a period inside one is ignored
            }
        });
        return out;
    }
}
