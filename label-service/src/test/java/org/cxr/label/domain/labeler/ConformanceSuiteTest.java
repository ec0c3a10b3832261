package org.cxr.label.domain.labeler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cxr.events.Observation;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.rules.RuleSet;
import org.junit.jupiter.api.Test;

/**
 * Runs both labeler styles over the CheXpert-semantics conformance suite
 * (src/test/resources/conformance/chexpert-semantics.txt: short impressions with the labels the
 * CheXpert rules imply) and prints every case where a style disagrees, with the mentions and the
 * rule that decided each.
 */
class ConformanceSuiteTest {
    private static final String SUITE = "conformance/chexpert-semantics.txt";
    private static final ReportLabeler LABELER = new ReportLabeler(RuleSet.bundled());

    /** One line of the suite: the text and the expected row of each style. */
    record Case(int line, String group, String text, LabelledRow chexpert, LabelledRow negbio) {
        LabelledRow expected(Style style) {
            return style == Style.CHEXPERT ? chexpert : negbio;
        }
    }

    static List<Case> load() throws IOException {
        String file;
        try (InputStream in = ConformanceSuiteTest.class.getClassLoader().getResourceAsStream(SUITE)) {
            assertThat(in).as(SUITE).isNotNull();
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        String group = "";
        String[] lines = file.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("## ")) {
                group = line.substring(3).strip();
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = SUITE + ":" + (i + 1);
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException(where + ": expected 'text => labels'");
            }
            String text = line.substring(0, arrow).strip();
            String labels = line.substring(arrow + 2);
            String negbioLabels = null;
            int split = labels.indexOf("||");
            if (split >= 0) {
                String rest = labels.substring(split + 2).strip();
                if (!rest.startsWith("negbio:")) {
                    throw new IllegalArgumentException(where + ": expected '|| negbio: labels'");
                }
                negbioLabels = rest.substring("negbio:".length());
                labels = labels.substring(0, split);
            }
            LabelledRow chexpert = row(where, labels);
            cases.add(new Case(i + 1, group, text, chexpert, negbioLabels == null ? chexpert : row(where, negbioLabels)));
        }
        return cases;
    }

    /** "Column value, Column value" or "(blank)" into a row; unlisted columns are blank. */
    private static LabelledRow row(String where, String labels) {
        LabelCell[] cells = new LabelCell[Observation.all().size()];
        Arrays.fill(cells, LabelCell.BLANK);
        String s = labels.strip();
        if (!s.equals("(blank)")) {
            for (String item : s.split(",")) {
                String t = item.strip();
                int space = t.lastIndexOf(' ');
                Observation o = space < 0 ? null : Observation.byColumn(t.substring(0, space).strip());
                if (o == null) {
                    throw new IllegalArgumentException(where + ": expected 'Column value', got '" + t + "'");
                }
                LabelCell v = switch (t.substring(space + 1)) {
                    case "1" -> LabelCell.POSITIVE;
                    case "0" -> LabelCell.NEGATIVE;
                    case "-1" -> LabelCell.UNCERTAIN;
                    default -> throw new IllegalArgumentException(where + ": value must be 1, 0 or -1: '" + t + "'");
                };
                if (cells[o.ordinal()] != LabelCell.BLANK) {
                    throw new IllegalArgumentException(where + ": " + o.column() + " given twice");
                }
                cells[o.ordinal()] = v;
            }
        }
        return LabelledRow.of(cells);
    }

    @Test
    void bothStylesFollowTheCheXpertRules() throws IOException {
        List<Case> cases = load();
        int failing = 0;
        Map<String, int[]> perGroup = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            LabelOutcome out = LABELER.label(c.text());
            int[] counts = perGroup.computeIfAbsent(c.group(), g -> new int[2]);
            counts[0]++;
            boolean failed = false;
            for (Style style : Style.values()) {
                LabelledRow got = out.labels(style);
                if (!got.equals(c.expected(style))) {
                    failed = true;
                    failures.add(String.format(Locale.ROOT, "%s:%d [%s] %s style%n    text:     %s%n    expected: %s%n    got:      %s%n%s",
                            SUITE, c.line(), c.group(), style.name().toLowerCase(Locale.ROOT), c.text(), c.expected(style), got,
                            explain(out, style)));
                }
            }
            if (failed) {
                counts[1]++;
                failing++;
            }
        }
        StringBuilder report = new StringBuilder("CheXpert-semantics conformance suite: " + cases.size() + " cases\n");
        perGroup.forEach((g, n) -> report.append(String.format(Locale.ROOT, "  %-75s %3d cases, %3d failing%n", g, n[0], n[1])));
        failures.forEach(f -> report.append(f));
        System.out.println(report);
        assertThat(cases).hasSizeGreaterThan(300);
        assertThat(failing).as("failing cases (printed above)").isZero();
    }

    private static String explain(LabelOutcome out, Style style) {
        StringBuilder sb = new StringBuilder();
        for (Mention m : out.mentions()) {
            sb.append("      ").append(m.targetName()).append(" '").append(m.text()).append("' = ").append(m.assertion(style));
            if (m.cue(style) != null) {
                sb.append(" by ").append(m.cue(style));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
