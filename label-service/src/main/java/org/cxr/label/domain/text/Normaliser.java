package org.cxr.label.domain.text;

/**
 * Text normalisation of dataset-contract §5: lower case; "and/or" becomes "or"; a slash
 * between two letters becomes " or " ("atelectasis/scarring"); every run of whitespace
 * becomes one space. One pass, no regular expressions.
 */
public final class Normaliser {
    private Normaliser() {
    }

    public static String normalise(CharSequence raw) {
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
                out.append(' ');
                pendingSpace = false;
            }
            if (c == '/' && out.length() > 0 && i + 1 < n
                    && Character.isLetter(out.charAt(out.length() - 1)) && Character.isLetter(raw.charAt(i + 1))) {
                if (endsWithWord(out, "and") && startsWithWord(raw, i + 1, "or")) {
                    out.setLength(out.length() - 3);
                    out.append("or");
                    i += 2;
                } else {
                    out.append(" or ");
                }
                continue;
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
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
