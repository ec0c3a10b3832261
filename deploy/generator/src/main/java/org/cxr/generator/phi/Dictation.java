package org.cxr.generator.phi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A report's text under construction, with the gold spans of what was planted in it. Text is added
 * to the current paragraph; {@link #endParagraph} wraps the paragraph like a MIMIC-CXR report (78
 * columns, a leading space) and moves its spans to where the wrapped text puts them, so a name can
 * be split across two lines just as a real report splits it.
 */
final class Dictation {
    private static final int WIDTH = 78;

    private record Pending(int start, int end, PhiKind kind, List<String> tags) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<GoldSpan> spans = new ArrayList<>();
    private final StringBuilder paragraph = new StringBuilder();
    private final List<Pending> pending = new ArrayList<>();

    /** Plain text of the current paragraph. */
    Dictation add(String s) {
        paragraph.append(s);
        return this;
    }

    /** Text of the current paragraph that is an identifier or must be kept. */
    Dictation span(PhiKind kind, List<String> tags, String s) {
        int start = paragraph.length();
        paragraph.append(s);
        pending.add(new Pending(start, paragraph.length(), kind, tags));
        return this;
    }

    boolean paragraphEmpty() {
        return paragraph.isEmpty();
    }

    /**
     * Ends the paragraph: wrapped at 78 columns after {@code indent} columns already used on its
     * first line, or written as one line when {@code wrap} is false; then {@code after} (e.g. a blank
     * line " \n").
     */
    void endParagraph(boolean wrap, int indent, String after) {
        String p = paragraph.toString();
        int base = text.length();
        List<Integer> breaks = new ArrayList<>(); // positions in p before which "\n " is inserted
        if (wrap) {
            int column = indent;
            int i = 0;
            while (i < p.length()) {
                int end = p.indexOf(' ', i);
                if (end < 0) {
                    end = p.length();
                }
                int next = end;
                while (next < p.length() && p.charAt(next) == ' ') {
                    next++;
                }
                if (i > 0 && column + (end - i) > WIDTH) {
                    breaks.add(i);
                    column = 1;
                }
                column += next - i;
                i = next;
            }
        }
        StringBuilder out = new StringBuilder(p.length() + 2 * breaks.size());
        int from = 0;
        for (int b : breaks) {
            out.append(p, from, b).append("\n ");
            from = b;
        }
        out.append(p, from, p.length()).append('\n');
        text.append(out);
        for (Pending s : pending) {
            int start = base + s.start() + 2 * count(breaks, s.start(), true);
            int end = base + s.end() + 2 * count(breaks, s.end(), false);
            spans.add(new GoldSpan(start, end, s.kind(), s.tags(), text.substring(start, end)));
        }
        text.append(after);
        paragraph.setLength(0);
        pending.clear();
    }

    /** Breaks at or before (inclusive) / strictly before (exclusive) {@code position}. */
    private static int count(List<Integer> breaks, int position, boolean inclusive) {
        int n = 0;
        for (int b : breaks) {
            if (b < position || inclusive && b == position) {
                n++;
            }
        }
        return n;
    }

    /** Text outside any paragraph (a header line, a blank line). */
    Dictation raw(String s) {
        if (!paragraph.isEmpty()) {
            throw new IllegalStateException("a paragraph is open");
        }
        text.append(s);
        return this;
    }

    /** The finished report, upper-cased when {@code caps} (old RIS exports type everything in capitals). */
    PhiReportText finish(boolean caps) {
        if (!paragraph.isEmpty()) {
            throw new IllegalStateException("a paragraph is open");
        }
        String s = text.toString();
        if (caps) {
            String upper = s.toUpperCase(Locale.ROOT);
            if (upper.length() == s.length()) {
                List<GoldSpan> upperSpans = new ArrayList<>();
                for (GoldSpan g : spans) {
                    List<String> tags = new ArrayList<>(g.tags());
                    if (!tags.contains("caps")) {
                        tags.add("caps");
                    }
                    upperSpans.add(new GoldSpan(g.start(), g.end(), g.kind(), tags, upper.substring(g.start(), g.end())));
                }
                return new PhiReportText(upper, upperSpans);
            }
        }
        return new PhiReportText(s, List.copyOf(spans));
    }

    /** A report's text and its gold spans, in order of position. */
    record PhiReportText(String text, List<GoldSpan> spans) {
    }
}
