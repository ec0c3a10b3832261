package org.cxr.label.domain.text;

import java.util.Arrays;

/**
 * Text normalisation of dataset-contract §5: lower case; "and/or" becomes "or"; a slash
 * between two letters becomes " or " ("atelectasis/scarring"); every run of whitespace
 * becomes one space. One pass, no regular expressions.
 */
public final class Normaliser {
    /**
     * Normalised text and, for each of its characters, the index of the raw character it comes
     * from (rawIndex has one more entry: the raw length), so that a span found in the normalised
     * text can be shown in the original.
     */
    public record Mapped(String text, int[] rawIndex) {
        /** Raw index of the first character of normalised [start, end). */
        public int rawStart(int start) {
            return rawIndex[start];
        }

        /** Raw index after the last character of normalised [start, end). */
        public int rawEnd(int end) {
            return rawIndex[end - 1] + 1;
        }
    }

    private Normaliser() {
    }

    public static String normalise(CharSequence raw) {
        return normalise(raw, null);
    }

    /** Like {@link #normalise(CharSequence)}, with the map back to the raw text. */
    public static Mapped normaliseMapped(CharSequence raw) {
        int[][] index = {new int[raw.length() + 8]};
        String text = normalise(raw, index);
        int[] rawIndex = Arrays.copyOf(index[0], text.length() + 1);
        rawIndex[text.length()] = raw.length();
        return new Mapped(text, rawIndex);
    }

    /** index: null, or a one-element holder of the (growing) normalised -> raw index array. */
    private static String normalise(CharSequence raw, int[][] index) {
        int n = raw.length();
        StringBuilder out = new StringBuilder(n + 8);
        boolean pendingSpace = false;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                append(out, ' ', i - 1, index);
                pendingSpace = false;
            }
            if (c == '/' && out.length() > 0 && i + 1 < n
                    && Character.isLetter(out.charAt(out.length() - 1)) && Character.isLetter(raw.charAt(i + 1))) {
                if (endsWithWord(out, "and") && startsWithWord(raw, i + 1, "or")) {
                    // "and/or" -> "or", mapped to the raw "or"
                    out.setLength(out.length() - 3);
                    append(out, 'o', i + 1, index);
                    append(out, 'r', i + 2, index);
                    i += 2;
                } else {
                    for (char x : " or ".toCharArray()) {
                        append(out, x, i, index);
                    }
                }
                continue;
            }
            append(out, Character.toLowerCase(c), i, index);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, char c, int rawPosition, int[][] index) {
        if (index != null) {
            if (out.length() == index[0].length) {
                index[0] = Arrays.copyOf(index[0], out.length() * 2 + 8);
            }
            index[0][out.length()] = rawPosition;
        }
        out.append(c);
    }

    private static boolean endsWithWord(StringBuilder sb, String word) {
        int start = sb.length() - word.length();
        if (start < 0 || (start > 0 && Character.isLetterOrDigit(sb.charAt(start - 1)))) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (sb.charAt(start + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithWord(CharSequence s, int from, String word) {
        int end = from + word.length();
        if (end > s.length() || (end < s.length() && Character.isLetterOrDigit(s.charAt(end)))) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase(s.charAt(from + i)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
