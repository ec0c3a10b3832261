package org.cxr.generator.report;

/**
 * The typography of a MIMIC-CXR report: lines wrapped at 78 columns with a leading space, header
 * lines "NAME:  value", blank lines holding one space.
 */
public final class ReportLayout {
    private static final int WIDTH = 78;

    private ReportLayout() {
    }

    /** A header line "NAME:  value" (the value wrapped like the rest) followed by a blank line. */
    public static void header(StringBuilder text, String name, String value) {
        text.append(' ').append(name).append(":  ");
        wrapInto(text, value, WIDTH - name.length() - 3);
        text.append(" \n");
    }

    /** Appends {@code paragraph} wrapped at 78 columns, each line indented by one space. */
    public static void wrap(StringBuilder text, String paragraph) {
        text.append(' ');
        wrapInto(text, paragraph, WIDTH);
    }

    private static void wrapInto(StringBuilder text, String paragraph, int firstWidth) {
        int column = 0;
        int width = firstWidth;
        int i = 0;
        int n = paragraph.length();
        while (i < n) {
            int end = paragraph.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            // keep runs of spaces (the double space after a period) with the word before them
            int next = end;
            while (next < n && paragraph.charAt(next) == ' ') {
                next++;
            }
            String word = paragraph.substring(i, end);
            if (column > 0 && column + word.length() > width) {
                text.append("\n ");
                column = 0;
                width = WIDTH;
            }
            text.append(word);
            column += word.length();
            if (next < n) {
                String spaces = paragraph.substring(end, next);
                text.append(spaces);
                column += spaces.length();
            }
            i = next;
        }
        text.append('\n');
    }
}
