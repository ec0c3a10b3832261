package org.cxr.label.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cxr.events.Observation;
import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.labeler.Mention;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.rules.RuleSet;
import org.cxr.label.domain.section.SectionKind;
import org.cxr.label.eval.Counts;
import org.cxr.label.eval.Csv;
import org.cxr.label.eval.GoldCsv;
import org.cxr.label.eval.GoldTask;
import org.cxr.label.eval.MeshMap;
import org.cxr.label.eval.NegexKit;
import org.cxr.label.eval.OpenI;
import org.cxr.label.eval.OpenIReport;
import org.cxr.label.eval.PresentTask;
import org.cxr.label.eval.Published;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ./cxr label-eval: accuracy of the labelers and of the scope engine on the reference data in
 * ../shared (or --shared DIR / $CXR_SHARED_DIR). Prints Markdown tables for docs/labeling.md.
 */
@Command(name = "label-eval", mixinStandardHelpOptions = true,
        description = "Evaluate section extraction, both labelers and the negation-scope engine.",
        subcommands = {EvalCommand.OpenICmd.class, EvalCommand.NegBio14Cmd.class, EvalCommand.NegexCmd.class,
            EvalCommand.GoldCmd.class, EvalCommand.SectionsCmd.class, EvalCommand.ExplainCmd.class})
public final class EvalCommand implements Runnable {
    static final String OPENI = "data/reports/openi-iu-reports/indiana_reports.csv";
    static final String NEGBIO14 = "data/reports/negbio-openi-gold/openi_gld_std14.csv";
    static final String NEGEX = "data/reports/negex-chapman-testset/rsAnnotations-1-120-random.txt";

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvalCommand()).execute(args));
    }

    /** Options every subcommand shares. */
    static class Common {
        @Option(names = "--shared", description = "reference data directory (default: $CXR_SHARED_DIR, else ../shared)")
        Path shared;

        @Option(names = "--rules", description = "rule directory to try instead of the bundled rules")
        Path rules;

        Path shared(String relative) {
            Path root = shared;
            if (root == null) {
                String env = System.getenv("CXR_SHARED_DIR");
                root = env != null ? Path.of(env) : Path.of("..", "shared");
            }
            Path p = root.resolve(relative);
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "missing reference file " + p);
            }
            return p;
        }

        ReportPipeline pipeline() {
            return new ReportPipeline(rules == null ? RuleSet.bundled() : RuleSet.fromDirectory(rules));
        }
    }

    static String f3(double d) {
        return Double.isNaN(d) ? "—" : String.format(Locale.ROOT, "%.3f", d);
    }

    @Command(name = "openi", mixinStandardHelpOptions = true,
            description = "Present task on Open-i MeSH codes, both labelers, both text variants.")
    static final class OpenICmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--text", description = "findings_impression, section or both (default)")
        String text = "both";

        @Option(names = "--errors", description = "write the strict-task errors of the development half as TSV")
        Path errors;

        @Override
        public Integer call() throws IOException {
            ReportPipeline p = common.pipeline();
            List<OpenIReport> reports = OpenI.load(common.shared(OPENI));
            MeshMap map = MeshMap.bundled();
            PrintStream out = System.out;
            out.println("Labeler " + p.version());
            for (OpenI.Text t : OpenI.Text.values()) {
                if (!text.equals("both") && !text.equalsIgnoreCase(t.name())) {
                    continue;
                }
                for (Style s : Style.values()) {
                    PresentTask all = OpenI.meshTask(reports, p, map, t, OpenI.Half.ALL, s);
                    PresentTask dev = OpenI.meshTask(reports, p, map, t, OpenI.Half.DEVELOPMENT, s);
                    PresentTask held = OpenI.meshTask(reports, p, map, t, OpenI.Half.HELD_OUT, s);
                    printPresent(out, "Open-i MeSH, " + s.name().toLowerCase(Locale.ROOT) + " style, text = "
                            + t.name().toLowerCase(Locale.ROOT), all, dev, held, s);
                    if (errors != null && t == OpenI.Text.FINDINGS_IMPRESSION) {
                        writeErrors(errors.resolveSibling(errors.getFileName() + "." + s.name().toLowerCase(Locale.ROOT) + ".tsv"),
                                dev, reports, p, t, s);
                    }
                }
            }
            return 0;
        }
    }

    static void printPresent(PrintStream out, String title, PresentTask all, PresentTask dev, PresentTask held, Style style) {
        out.println();
        out.println("### " + title + " (" + all.reports() + " reports; dev " + dev.reports() + ", held-out " + held.reports() + ")");
        out.println();
        out.println("| class | n | P | R | F1 | F1 dev | F1 held-out | lenient F1 (1 or -1) | lenient dev | lenient held-out "
                + "| published MIMIC mention F1 |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Observation o : Observation.all()) {
            if (!all.classes().contains(o)) {
                continue;
            }
            Counts c = all.strict(o);
            double bar = style == Style.NEGBIO && o == Observation.NO_FINDING
                    ? Published.NEGBIO_NO_FINDING_F1 : Published.CHEXPERT_MENTION_F1.get(o);
            out.printf("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", o.column(), c.support(), f3(c.precision()),
                    f3(c.recall()), f3(c.f1()), f3(dev.strict(o).f1()), f3(held.strict(o).f1()), f3(all.lenient(o).f1()),
                    f3(dev.lenient(o).f1()), f3(held.lenient(o).f1()), f3(bar));
        }
        if (all.classes().containsAll(OpenI.DIRECT)) {
            out.printf("| **macro F1, 10 direct classes** | | | | **%s** | %s | %s | %s | %s | %s | |%n", f3(all.macroF1(OpenI.DIRECT, false)),
                    f3(dev.macroF1(OpenI.DIRECT, false)), f3(held.macroF1(OpenI.DIRECT, false)), f3(all.macroF1(OpenI.DIRECT, true)),
                    f3(dev.macroF1(OpenI.DIRECT, true)), f3(held.macroF1(OpenI.DIRECT, true)));
        }
    }

    static void writeErrors(Path file, PresentTask task, List<OpenIReport> reports, ReportPipeline p, OpenI.Text text, Style style)
            throws IOException {
        Map<String, OpenIReport> byId = new HashMap<>();
        reports.forEach(r -> byId.put(OpenI.id(r), r));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("id\tclass\tstrict\tlenient\tpredicted\tmentions\tmesh\ttext");
            for (PresentTask.Error e : task.errors()) {
                OpenIReport r = byId.get(e.id());
                ReportPipeline.Result res = text == OpenI.Text.SECTION ? p.process(r.fullText()) : p.processText(r.findingsAndImpression());
                StringBuilder ms = new StringBuilder();
                for (Mention m : res.labels().mentions()) {
                    if (m.target() == e.observation().ordinal() || (e.observation() == Observation.NO_FINDING && m.assertion(style) != null
                            && m.assertion(style) != Assertion.NEGATIVE)) {
                        ms.append(m.targetName()).append(":'").append(m.text()).append("'=").append(m.assertion(style))
                                .append(m.cue(style) == null ? "" : " by " + m.cue(style)).append("; ");
                    }
                }
                w.println(String.join("\t", e.id(), e.observation().column(), e.strict(), e.lenient(),
                        e.predicted().cell(), ms.toString(), r.mesh(), res.section().text().replaceAll("\\s+", " ")));
            }
        }
    }

    @Command(name = "negbio14", mixinStandardHelpOptions = true,
            description = "Present task on NegBio's 14-class Open-i file (openi_gld_std14.csv) for the classes that map.")
    static final class NegBio14Cmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            ReportPipeline p = common.pipeline();
            List<OpenIReport> reports = OpenI.load(common.shared(OPENI));
            Path gold = common.shared(NEGBIO14);
            for (OpenI.Text t : OpenI.Text.values()) {
                for (Style s : Style.values()) {
                    printPresent(System.out, "NegBio openi_gld_std14, " + s.name().toLowerCase(Locale.ROOT) + " style, text = "
                                    + t.name().toLowerCase(Locale.ROOT),
                            OpenI.negbio14Task(reports, gold, p, t, OpenI.Half.ALL, s),
                            OpenI.negbio14Task(reports, gold, p, t, OpenI.Half.DEVELOPMENT, s),
                            OpenI.negbio14Task(reports, gold, p, t, OpenI.Half.HELD_OUT, s), s);
                }
            }
            return 0;
        }
    }

    @Command(name = "negex", mixinStandardHelpOptions = true,
            description = "Negation F1 of the scope engine on the NegEx/Chapman test kit (sentence, target).")
    static final class NegexCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--errors", description = "write the development-half misses as TSV")
        Path errors;

        @Override
        public Integer call() throws IOException {
            ReportPipeline p = common.pipeline();
            List<NegexKit.Item> items = NegexKit.load(common.shared(NEGEX));
            System.out.println("| style | half | n negated | P | R | F1 | GenNegEx F1 |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Style s : Style.values()) {
                for (OpenI.Half h : OpenI.Half.values()) {
                    NegexKit.Result r = NegexKit.run(items, p.labeler(), s, h);
                    Counts c = r.counts();
                    System.out.printf("| %s | %s | %d | %s | %s | %s | %s |%n", s.name().toLowerCase(Locale.ROOT),
                            h.name().toLowerCase(Locale.ROOT), c.support(), f3(c.precision()), f3(c.recall()), f3(c.f1()),
                            f3(Published.GENNEGEX_F1));
                    r.notFound().forEach(it -> System.err.println("target not found: line " + it.line() + " '" + it.condition() + "'"));
                    if (errors != null && s == Style.NEGBIO && h == OpenI.Half.DEVELOPMENT) {
                        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(errors, StandardCharsets.UTF_8))) {
                            for (NegexKit.Miss m : r.misses()) {
                                w.println(String.join("\t", String.valueOf(m.item().line()), m.item().negated() ? "Negated" : "Affirmed",
                                        String.valueOf(m.predicted()), m.item().condition(), m.item().sentence()));
                            }
                        }
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "gold", mixinStandardHelpOptions = true,
            description = {"Mention/negation/uncertainty F1 (labeler-reference.md §A.6) against a gold CSV in CheXpert format: "
                    + "an id column, the 14 label columns with 1 / 0 / -1 / blank (\"Airspace Opacity\" = Lung Opacity; case, "
                    + "spaces and abbreviations such as \"Enlarged Cardiom.\" are accepted) and the report text, or the texts "
                    + "in --reports, or labels already written by ./cxr label in --predictions.",
                "Example: ./cxr label-eval gold radiologists.csv --id-column study --text-column impression"})
    static final class GoldCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "gold CSV (may hold the texts)")
        Path file;

        @Option(names = "--gold", description = "gold CSV (same as FILE)")
        Path gold;

        @Option(names = "--reports", description = "CSV with the report texts, when they are not in the gold file")
        Path reports;

        @Option(names = "--predictions", description = "or: a labels CSV written by ./cxr label (chexpert.csv or negbio.csv)")
        Path predictions;

        @Option(names = "--id-column", required = true, description = "id column (the same name in every file)")
        String idColumn;

        @Option(names = "--text-column", description = "text column of the gold file or of --reports (default for --reports: text)")
        String textColumn;

        @Option(names = "--sections", description = "the texts are whole reports: label their section (dataset-contract §4), "
                + "not the text as is")
        boolean sections;

        @Override
        public Integer call() {
            CommandLine cmd = new CommandLine(this);
            if ((file == null) == (gold == null)) {
                throw new CommandLine.ParameterException(cmd, "give the gold CSV once, as FILE or --gold");
            }
            Path goldFile = file != null ? file : gold;
            boolean textInGold = reports == null && predictions == null;
            if (predictions != null && (reports != null || textColumn != null)) {
                throw new CommandLine.ParameterException(cmd, "--predictions is scored as it is: no --reports or --text-column");
            }
            if (textInGold && textColumn == null) {
                throw new CommandLine.ParameterException(cmd, "give --text-column (texts in the gold file), --reports or --predictions");
            }
            List<GoldCsv.Row> goldRows;
            try {
                goldRows = GoldCsv.read(goldFile, idColumn, textInGold ? textColumn : null);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cmd, e.getMessage());
            }
            Map<String, LabelledRow> goldById = new LinkedHashMap<>();
            goldRows.forEach(r -> goldById.put(r.id(), r.labels()));
            if (predictions != null) {
                Map<String, LabelledRow> predicted = new HashMap<>();
                try {
                    GoldCsv.read(predictions, idColumn, null).forEach(r -> predicted.put(r.id(), r.labels()));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cmd, e.getMessage());
                }
                printGold("predictions " + predictions.getFileName(), goldById, predicted);
                return 0;
            }
            Map<String, String> texts = new LinkedHashMap<>();
            if (textInGold) {
                goldRows.forEach(r -> texts.put(r.id(), r.text()));
            } else {
                String column = textColumn == null ? "text" : textColumn;
                for (Map<String, String> row : Csv.read(reports)) {
                    if (!row.containsKey(column) || !row.containsKey(idColumn)) {
                        throw new CommandLine.ParameterException(cmd, "--reports needs the columns " + idColumn + " and " + column);
                    }
                    texts.put(row.get(idColumn), row.get(column));
                }
            }
            ReportPipeline p = common.pipeline();
            System.out.println("Labeler " + p.version() + "; gold " + goldFile.getFileName() + ", " + goldById.size() + " reports, "
                    + goldById.keySet().stream().filter(id -> !texts.containsKey(id)).count() + " without text"
                    + (sections ? "; section of each report labelled" : "; texts labelled as they are"));
            Map<Style, Map<String, LabelledRow>> predicted = new EnumMap<>(Style.class);
            for (Style s : Style.values()) {
                predicted.put(s, new HashMap<>());
            }
            texts.forEach((id, text) -> {
                ReportPipeline.Result r = sections ? p.process(text) : p.processText(text);
                if (r.labels() != null) {
                    for (Style s : Style.values()) {
                        predicted.get(s).put(id, r.labels().labels(s));
                    }
                }
            });
            for (Style s : Style.values()) {
                printGold(s.name().toLowerCase(Locale.ROOT) + " style", goldById, predicted.get(s));
            }
            return 0;
        }
    }

    static void printGold(String title, Map<String, LabelledRow> gold, Map<String, LabelledRow> predicted) {
        GoldTask task = new GoldTask();
        LabelCell[] blank = new LabelCell[Observation.all().size()];
        Arrays.fill(blank, LabelCell.BLANK);
        LabelledRow none = LabelledRow.of(blank);
        gold.forEach((id, g) -> task.add(g, predicted.getOrDefault(id, none)));
        System.out.println();
        System.out.println("### " + title + " (" + task.reports() + " reports)");
        System.out.println();
        System.out.println("| class | mention F1 (n) | negation F1 (n) | uncertain F1 (n) | positive F1 (n) | published mention F1 |");
        System.out.println("|---|---|---|---|---|---|");
        for (Observation o : Observation.all()) {
            StringBuilder sb = new StringBuilder("| " + o.column() + " |");
            for (GoldTask.Kind k : GoldTask.Kind.values()) {
                Counts c = task.counts(k, o);
                // gold labels that were never predicted score 0, as in the macro; no gold labels: undefined
                double f1 = c.support() > 0 && c.tp() == 0 ? 0 : c.f1();
                sb.append(' ').append(f3(f1)).append(" (").append(c.support()).append(") |");
            }
            System.out.println(sb + " " + f3(Published.CHEXPERT_MENTION_F1.get(o)) + " |");
        }
        StringBuilder macro = new StringBuilder("| **macro** (classes with gold labels of the kind) |");
        for (GoldTask.Kind k : GoldTask.Kind.values()) {
            macro.append(" **").append(f3(task.macroF1(k))).append("** (").append(task.definedClasses(k)).append(" classes) |");
        }
        System.out.println(macro + " |");
    }

    @Command(name = "sections", mixinStandardHelpOptions = true,
            description = "Section extraction on the Open-i reports rebuilt with headers: is the impression recovered?")
    static final class SectionsCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            List<OpenIReport> reports = OpenI.load(common.shared(OPENI));
            for (OpenI.Layout layout : OpenI.Layout.values()) {
                OpenI.SectionCheck c = OpenI.sectionCheck(reports, common.pipeline(), layout);
                System.out.printf("layout %s: %d reports%n", layout.name().toLowerCase(Locale.ROOT), c.reports());
                System.out.printf("  with an impression: %d, impression recovered exactly: %d (%.2f %%)%n", c.withImpression(),
                        c.impressionRecovered(), 100.0 * c.impressionRecovered() / c.withImpression());
                System.out.printf("  findings only: %d, findings recovered exactly: %d%n", c.withoutImpression(), c.findingsRecovered());
                for (SectionKind k : SectionKind.values()) {
                    System.out.printf("  section %s: %d%n", k.label(), c.kinds().getOrDefault(k, 0));
                }
                System.out.println("  mismatching uids: " + c.mismatches());
            }
            return 0;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show the mentions of a text, how each style decided them and by which rule.")
    static final class ExplainCmd implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Parameters(arity = "1..*", description = "text to label (as is, no section extraction)")
        List<String> text;

        @Override
        public Integer call() {
            ReportPipeline p = common.pipeline();
            for (String t : text) {
                ReportPipeline.Result r = p.processText(t);
                System.out.println(t);
                if (r.labels() == null) {
                    System.out.println("  (empty)");
                    continue;
                }
                for (Mention m : r.labels().mentions()) {
                    System.out.printf("  %-26s '%s' chexpert=%s%s negbio=%s%s%n", m.targetName(), m.text(), m.chexpert(),
                            m.chexpertCue() == null ? "" : " [" + m.chexpertCue() + "]", m.negbio(),
                            m.negbioCue() == null ? "" : " [" + m.negbioCue() + "]");
                }
                System.out.println("  chexpert " + r.labels().chexpert());
                System.out.println("  negbio   " + r.labels().negbio());
            }
            return 0;
        }
    }
}
