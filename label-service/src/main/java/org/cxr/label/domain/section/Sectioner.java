package org.cxr.label.domain.section;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the labelled text of a report (dataset-contract §4). A header is an upper-case run of
 * letters, spaces and ()/,- followed by a colon at the start of a line (leading blanks allowed,
 * as MIMIC-CXR indents every line); text before the first header is the preamble. The choice is
 * the last non-empty impression, else the last non-empty findings, else the last paragraph
 * (everything after the first blank line of the last section), else the last comparison, else
 * nothing.
 */
public final class Sectioner {
    private final SectionNames names;

    public Sectioner(SectionNames names) {
        this.names = names;
    }

    /** A parsed section: canonical name and body lines (the header line's remainder first). */
    public record Section(String name, List<String> lines) {
        public String text() {
            return String.join("\n", lines).strip();
        }
    }

    public List<Section> split(String report) {
        List<Section> out = new ArrayList<>();
        String name = "preamble";
        List<String> body = new ArrayList<>();
        int pos = 0;
        int n = report.length();
        while (pos <= n) {
            int nl = report.indexOf('\n', pos);
            int end = nl < 0 ? n : nl;
            String line = report.substring(pos, end);
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line = line.substring(0, line.length() - 1);
            }
            int colon = headerColon(line);
            if (colon >= 0) {
                out.add(new Section(name, body));
                name = names.canonical(line.substring(0, colon));
                body = new ArrayList<>();
                body.add(line.substring(colon + 1));
            } else {
                body.add(line);
            }
            if (nl < 0) {
                break;
            }
            pos = nl + 1;
        }
        out.add(new Section(name, body));
        return out;
    }

    public ExtractedSection extract(String report) {
        List<Section> sections = split(report);
        Section impression = last(sections, "impression");
        if (impression != null) {
            return new ExtractedSection(SectionKind.IMPRESSION, impression.text());
        }
        Section findings = last(sections, "findings");
        if (findings != null) {
            return new ExtractedSection(SectionKind.FINDINGS, findings.text());
        }
        String paragraph = afterFirstBlankLine(sections.get(sections.size() - 1).lines());
        if (!paragraph.isEmpty()) {
            return new ExtractedSection(SectionKind.LAST_PARAGRAPH, paragraph);
        }
        Section comparison = last(sections, "comparison");
        if (comparison != null) {
            return new ExtractedSection(SectionKind.COMPARISON, comparison.text());
        }
        return ExtractedSection.NONE;
    }

    private static Section last(List<Section> sections, String name) {
        for (int i = sections.size() - 1; i >= 0; i--) {
            Section s = sections.get(i);
            if (s.name().equals(name) && !s.text().isEmpty()) {
                return s;
            }
        }
        return null;
    }

    /** Text after the first blank line that follows some content; "" when there is none. */
    private static String afterFirstBlankLine(List<String> lines) {
        boolean seenContent = false;
        for (int i = 0; i < lines.size(); i++) {
            boolean blank = lines.get(i).isBlank();
            if (!blank) {
                seenContent = true;
            } else if (seenContent) {
                return String.join("\n", lines.subList(i + 1, lines.size())).strip();
            }
        }
        return "";
    }

    /** Index of the colon ending a header at the start of line, or -1. */
    static int headerColon(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        boolean letter = false;
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                letter = true;
            } else if (c == ':') {
                return letter ? i : -1;
            } else if (c != ' ' && c != '(' && c != ')' && c != '/' && c != ',' && c != '-') {
                return -1;
            }
        }
        return -1;
    }
}
