package org.cxr.generator.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.Observation;

/** The sentence templates of {@code report-templates.txt} (its header explains the format). */
public final class ReportTemplates {
    /** Where a sentence may go. */
    enum Section {
        FINDINGS, IMPRESSION
    }

    /** One mention: 1 positive, 0 negative, -1 uncertain. */
    record Vote(Observation observation, int value) {
    }

    /**
     * A sentence template. {@code other} marks an abnormal finding outside the 14 columns;
     * {@code unless} lists columns that must not be positive or uncertain in the study
     * ({@code unlessOther}: nor an other finding).
     */
    record Template(int line, Set<Section> sections, List<Vote> votes, boolean other,
                    Set<Observation> unless, boolean unlessOther, String text) {

        boolean has(Observation o, int value) {
            return votes.stream().anyMatch(v -> v.observation() == o && v.value() == value);
        }

        boolean mentions(Observation o) {
            return votes.stream().anyMatch(v -> v.observation() == o);
        }

        /** Declares two values for one observation (a mixed mention). */
        boolean mixed() {
            return votes.stream().map(Vote::observation).distinct().count() < votes.size();
        }

        boolean abnormal() {
            return other || votes.stream().anyMatch(v -> v.value() != 0);
        }

        boolean neutral() {
            return votes.isEmpty() && !other;
        }
    }

    private static final Pattern SLOT = Pattern.compile("\\{([a-z-]+)}");
    private static final String OPPOSITE = "opposite";
    private static final ReportTemplates INSTANCE = load("report-templates.txt");

    private final List<Template> templates;
    private final Map<String, List<String>> slots;

    private ReportTemplates(List<Template> templates, Map<String, List<String>> slots) {
        this.templates = List.copyOf(templates);
        this.slots = slots;
    }

    public static ReportTemplates get() {
        return INSTANCE;
    }

    List<Template> all() {
        return templates;
    }

    List<String> slot(String name) {
        List<String> values = slots.get(name);
        if (values == null) {
            throw new IllegalStateException("report-templates.txt has no @" + name + " line");
        }
        return values;
    }

    String pick(String slot, SplittableRandom r) {
        List<String> values = slot(slot);
        return values.get(r.nextInt(values.size()));
    }

    /**
     * The sentence with its slots filled and its first letter capitalised. {@code chosen} holds the
     * slot values of the whole report, so "left" stays left in every sentence that names a side;
     * {@code {opposite}} is the other side.
     */
    String render(Template t, Map<String, String> chosen, SplittableRandom r) {
        Matcher m = SLOT.matcher(t.text());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals(OPPOSITE)
                    ? ("left".equals(chosen.computeIfAbsent("side", s -> pick(s, r))) ? "right" : "left")
                    : chosen.computeIfAbsent(m.group(1), s -> pick(s, r));
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return capitalise(sb.toString());
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static ReportTemplates load(String resource) {
        List<Template> templates = new ArrayList<>();
        Map<String, List<String>> slots = new LinkedHashMap<>();
        try (InputStream in = ReportTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                try {
                    if (s.startsWith("@")) {
                        int eq = s.indexOf('=');
                        List<String> values = new ArrayList<>();
                        for (String v : s.substring(eq + 1).split("\\|")) {
                            values.add(v.strip());
                        }
                        slots.put(s.substring(1, eq).strip(), List.copyOf(values));
                    } else {
                        templates.add(parse(lineNo, s));
                    }
                } catch (RuntimeException e) {
                    throw new IllegalStateException(resource + ":" + lineNo + ": " + e.getMessage() + ": " + s, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Template t : templates) {
            Matcher m = SLOT.matcher(t.text());
            while (m.find()) {
                if (!slots.containsKey(m.group(1)) && !m.group(1).equals(OPPOSITE)) {
                    throw new IllegalStateException(resource + ":" + t.line() + ": unknown slot {" + m.group(1) + "}");
                }
            }
        }
        return new ReportTemplates(templates, slots);
    }

    private static Template parse(int lineNo, String s) {
        String[] f = s.split("\\|");
        if (f.length != 3 && f.length != 4) {
            throw new IllegalArgumentException("expected SECTIONS | LABELS | TEXT [| unless LIST]");
        }
        Set<Section> sections = EnumSet.noneOf(Section.class);
        for (char c : f[0].strip().toCharArray()) {
            sections.add(switch (c) {
                case 'F' -> Section.FINDINGS;
                case 'I' -> Section.IMPRESSION;
                default -> throw new IllegalArgumentException("section letter " + c);
            });
        }
        List<Vote> votes = new ArrayList<>();
        boolean other = false;
        String labels = f[1].strip();
        if (!labels.equals("-")) {
            for (String label : labels.split(",")) {
                String[] kv = label.split("=");
                String column = kv[0].strip();
                int value = Integer.parseInt(kv[1].strip());
                if (value != 1 && value != 0 && value != -1) {
                    throw new IllegalArgumentException("label value " + value);
                }
                if (column.equals("Other")) {
                    if (value != 1) {
                        throw new IllegalArgumentException("Other is only ever 1");
                    }
                    other = true;
                } else {
                    Observation o = Observation.ofColumn(column);
                    if (o == Observation.NO_FINDING) {
                        throw new IllegalArgumentException("No Finding is derived, never declared");
                    }
                    votes.add(new Vote(o, value));
                }
            }
        }
        Set<Observation> unless = EnumSet.noneOf(Observation.class);
        boolean unlessOther = false;
        if (f.length == 4) {
            String u = f[3].strip();
            if (!u.startsWith("unless ")) {
                throw new IllegalArgumentException("4th field must start with 'unless '");
            }
            for (String column : u.substring(7).split(",")) {
                if (column.strip().equals("Other")) {
                    unlessOther = true;
                } else {
                    unless.add(Observation.ofColumn(column.strip()));
                }
            }
        }
        String text = f[2].strip();
        if (text.isEmpty() || !text.endsWith(".")) {
            throw new IllegalArgumentException("a sentence ends with a period");
        }
        return new Template(lineNo, sections, List.copyOf(votes), other, unless, unlessOther, text);
    }
}
