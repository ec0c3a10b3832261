package org.cxr.label.domain.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.Observation;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.text.Tokenizer;

/**
 * The versioned rule files of one rule set (src/main/resources/labeler/v1/): phrase lists,
 * triggers, section names and abbreviations. The labeler version string is derived from their
 * bytes, so any edit to a rule changes the version recorded with every label.
 */
public final class RuleSet {
    public static final String TOOL = "cxr-label/1.0";
    public static final String DEFAULT = "v1";
    /** The files of a rule set, in the order they are hashed. */
    public static final List<String> FILES = List.of("mentions.txt", "triggers.txt", "sections.txt", "abbreviations.txt");

    private static final Pattern TRIGGER_HEAD = Pattern.compile(
            "(pre|post|both|any)(?:\\s+(\\d+)(?:/(\\d+))?)?(?:\\s+findings\\s+(\\d+))?(?:\\s+style=(chexpert|negbio))?(?:\\s+for\\s+(.+))?");

    private final String name;
    private final String version;
    private final List<MentionRule> mentions;
    /** per family (negation, uncertainty), direction (back, forward) and target: reach: lines */
    private final int[][][] reach = new int[2][2][MentionRule.TARGETS];
    private final List<TriggerRule> triggers;
    private final List<String[]> sectionRules;
    private final List<String> abbreviations;
    private final Tokenizer phraseTokenizer;

    private RuleSet(String name, Map<String, String> files) {
        this.name = name;
        this.version = TOOL + " rules " + name + " sha256:" + digest(files);
        this.abbreviations = parseAbbreviations(files.get("abbreviations.txt"));
        this.phraseTokenizer = new Tokenizer(abbreviations);
        for (int[][] family : reach) {
            for (int[] direction : family) {
                Arrays.fill(direction, Integer.MAX_VALUE);
            }
        }
        this.mentions = parseMentions(files.get("mentions.txt"));
        this.triggers = parseTriggers(files.get("triggers.txt"));
        this.sectionRules = parseSections(files.get("sections.txt"));
    }

    /** The rule set shipped in the jar under labeler/NAME/. */
    public static RuleSet bundled(String name) {
        return load(name, file -> {
            String resource = "labeler/" + name + "/" + file;
            try (InputStream in = RuleSet.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new RuleFormatException("missing rule file on the classpath: " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static RuleSet bundled() {
        return bundled(DEFAULT);
    }

    /** A rule set from a directory holding the same files (for trying out rule edits). */
    public static RuleSet fromDirectory(Path dir) {
        return load(dir.getFileName().toString(), file -> {
            try {
                return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static RuleSet load(String name, Function<String, String> reader) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : FILES) {
            files.put(f, reader.apply(f));
        }
        return new RuleSet(name, files);
    }

    public String name() {
        return name;
    }

    /** e.g. "cxr-label/1.0 rules v1 sha256:abcd1234". */
    public String version() {
        return version;
    }

    public List<MentionRule> mentions() {
        return mentions;
    }

    /**
     * How many words a trigger that applies to every observation (no "for" list) may reach back
     * (forward = false) or forward to a mention of this target, for the negation or the
     * uncertainty family; unlimited unless a "reach:" line of mentions.txt says so ("no
     * pneumothorax after placement of a chest tube").
     */
    public int reach(int target, TriggerCategory.Family family, boolean forward) {
        int f = switch (family) {
            case NEGATION -> 0;
            case UNCERTAINTY -> 1;
            default -> -1;
        };
        return f < 0 ? Integer.MAX_VALUE : reach[f][forward ? 1 : 0][target];
    }

    public List<TriggerRule> triggers() {
        return triggers;
    }

    /** Section name rules as {canonical name, "is"|"contains", phrase}, in file order. */
    public List<String[]> sectionRules() {
        return sectionRules;
    }

    public List<String> abbreviations() {
        return abbreviations;
    }

    private static String digest(Map<String, String> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : files.entrySet()) {
                md.update((e.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Content lines without comments, with their line numbers. */
    private static List<Line> lines(String file, String text) {
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i];
            int hash = s.indexOf('#');
            if (hash >= 0) {
                s = s.substring(0, hash);
            }
            s = s.strip();
            if (!s.isEmpty()) {
                out.add(new Line(file + ":" + (i + 1), s));
            }
        }
        return out;
    }

    private record Line(String where, String text) {
        boolean isHeader() {
            return text.startsWith("[") && text.endsWith("]");
        }

        String header() {
            return text.substring(1, text.length() - 1).strip();
        }
    }

    private List<String> phrases(Line line, String list) {
        List<String> out = new ArrayList<>();
        for (String p : list.split("\\|")) {
            String s = p.strip();
            if (s.isEmpty()) {
                throw new RuleFormatException(line.where + ": empty phrase");
            }
            out.add(s);
        }
        return out;
    }

    private List<String> tokens(Line line, String phrase) {
        List<String> t = phraseTokenizer.phraseTokens(phrase);
        if (t.isEmpty()) {
            throw new RuleFormatException(line.where + ": phrase has no words: '" + phrase + "'");
        }
        for (String s : t) {
            if (s.indexOf('*') >= 0 && (s.indexOf('*') != s.length() - 1 || s.length() < 4)) {
                throw new RuleFormatException(line.where + ": a stem needs 3+ letters then '*': '" + phrase + "'");
            }
        }
        return t;
    }

    private List<MentionRule> parseMentions(String text) {
        List<MentionRule> out = new ArrayList<>();
        int target = -1;
        for (Line line : lines("mentions.txt", text)) {
            if (line.isHeader()) {
                target = mentionTarget(line);
                continue;
            }
            int colon = line.text.indexOf(':');
            String head = colon < 0 ? "" : line.text.substring(0, colon).strip();
            if (target < 0) {
                throw new RuleFormatException(line.where + ": phrase before the first [Observation] header");
            }
            if (head.equals("reach")) {
                parseReach(line, target, line.text.substring(colon + 1));
                continue;
            }
            MentionKind kind = MentionKind.parse(head);
            if (kind == null) {
                throw new RuleFormatException(line.where + ": expected 'finding|uncertain|descriptor|sign|exclude|hint: phrases'"
                        + " or 'reach: negation N[/N], uncertain N[/N]'");
            }
            for (String p : phrases(line, line.text.substring(colon + 1))) {
                out.add(new MentionRule(target, kind, tokens(line, p), line.where + " " + p));
            }
        }
        return List.copyOf(out);
    }

    /** "reach: negation 3, uncertain 0/2" (BACK/FORWARD like a trigger's window, or one N for both) */
    private void parseReach(Line line, int target, String spec) {
        for (String part : spec.split(",")) {
            String[] w = part.strip().split("\\s+");
            if (w.length != 2 || !w[1].matches("\\d+(/\\d+)?") || !(w[0].equals("negation") || w[0].equals("uncertain"))) {
                throw new RuleFormatException(line.where + ": expected 'reach: negation N[/N], uncertain N[/N]'");
            }
            int[][] family = reach[w[0].equals("negation") ? 0 : 1];
            String[] n = w[1].split("/");
            family[0][target] = Integer.parseInt(n[0]);
            family[1][target] = Integer.parseInt(n[n.length - 1]);
        }
    }

    private static int mentionTarget(Line line) {
        String h = line.header();
        if (h.equalsIgnoreCase("Other finding")) {
            return MentionRule.OTHER;
        }
        if (h.equalsIgnoreCase("Alternative")) {
            return MentionRule.ALTERNATIVE;
        }
        Observation o = Observation.byColumn(h);
        if (o == null || o == Observation.NO_FINDING) {
            throw new RuleFormatException(line.where + ": unknown observation [" + h + "]");
        }
        return o.ordinal();
    }

    private List<TriggerRule> parseTriggers(String text) {
        List<TriggerRule> out = new ArrayList<>();
        TriggerCategory category = null;
        for (Line line : lines("triggers.txt", text)) {
            if (line.isHeader()) {
                category = TriggerCategory.bySection(line.header());
                if (category == null) {
                    throw new RuleFormatException(line.where + ": unknown section [" + line.header() + "]");
                }
                continue;
            }
            if (category == null) {
                throw new RuleFormatException(line.where + ": trigger before the first [section] header");
            }
            int colon = line.text.indexOf(':');
            Matcher m = colon < 0 ? null : TRIGGER_HEAD.matcher(line.text.substring(0, colon).strip());
            if (m == null || !m.matches()) {
                throw new RuleFormatException(line.where
                        + ": expected 'pre|post|both WINDOW[/FORWARD] [findings N] [style=chexpert|negbio] [for Observation, ...]: phrases'");
            }
            Direction dir = switch (m.group(1)) {
                case "pre" -> Direction.PRE;
                case "post" -> Direction.POST;
                case "both" -> Direction.BOTH;
                default -> Direction.NONE;
            };
            boolean scoped = category != TriggerCategory.PSEUDO && category != TriggerCategory.TERMINATE;
            if (scoped == (dir == Direction.NONE) || scoped == (m.group(2) == null)) {
                throw new RuleFormatException(line.where + (scoped
                        ? ": a scoped trigger needs 'pre|post|both WINDOW'"
                        : ": pseudo-triggers and terminators take 'any:'"));
            }
            if (m.group(3) != null && dir != Direction.BOTH) {
                throw new RuleFormatException(line.where + ": BACK/FORWARD windows only for 'both'");
            }
            int window = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            int back = dir == Direction.PRE ? 0 : window;
            int fwd = dir == Direction.POST ? 0 : m.group(3) == null ? window : Integer.parseInt(m.group(3));
            if (m.group(4) != null && category != TriggerCategory.NORMAL) {
                throw new RuleFormatException(line.where + ": 'findings N' only in [normal]");
            }
            int findings = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
            int styles = m.group(5) == null ? 0b11 : 1 << (m.group(5).equals("chexpert") ? Style.CHEXPERT.ordinal() : Style.NEGBIO.ordinal());
            long applies = 0;
            if (m.group(6) != null) {
                for (String name : m.group(6).split(",")) {
                    Observation o = Observation.byColumn(name.strip());
                    if (o == null) {
                        throw new RuleFormatException(line.where + ": unknown observation '" + name.strip() + "'");
                    }
                    applies |= 1L << o.ordinal();
                }
            }
            for (String p : phrases(line, line.text.substring(colon + 1))) {
                out.add(new TriggerRule(category, dir, back, fwd, findings, styles, applies, tokens(line, p), line.where + " " + p));
            }
        }
        return List.copyOf(out);
    }

    private static List<String[]> parseSections(String text) {
        List<String[]> out = new ArrayList<>();
        String current = null;
        for (Line line : lines("sections.txt", text)) {
            if (line.isHeader()) {
                current = line.header().toLowerCase(Locale.ROOT);
                continue;
            }
            int colon = line.text.indexOf(':');
            String how = colon < 0 ? "" : line.text.substring(0, colon).strip();
            if (current == null || !(how.equals("is") || how.equals("contains"))) {
                throw new RuleFormatException(line.where + ": expected 'is: names' or 'contains: words' under a [section]");
            }
            for (String p : line.text.substring(colon + 1).split("\\|")) {
                String s = p.strip().toLowerCase(Locale.ROOT);
                if (!s.isEmpty()) {
                    out.add(new String[] {current, how, s});
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<String> parseAbbreviations(String text) {
        List<String> out = new ArrayList<>();
        for (Line line : lines("abbreviations.txt", text)) {
            for (String s : line.text.split("\\s+")) {
                out.add(s.toLowerCase(Locale.ROOT).replace(".", ""));
            }
        }
        return List.copyOf(out);
    }
}
