package org.cxr.label.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.cxr.events.Observation;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.rules.RuleSet;
import org.cxr.label.eval.Csv;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * ./cxr label IN OUT_DIR: labels a MIMIC-CXR report tree (files/pXX/pSUBJECT/sSTUDY.txt) or a
 * headed CSV, and writes OUT_DIR/chexpert.csv, OUT_DIR/negbio.csv (id columns, then the 14
 * labels) and OUT_DIR/sections.csv (id columns, section used, text), rows sorted by id.
 */
@Command(name = "label", mixinStandardHelpOptions = true,
        description = "Label radiology reports with the CheXpert-style and NegBio-style labelers.")
public final class LabelCommand implements Callable<Integer> {
    private static final Pattern STUDY_FILE = Pattern.compile("s(\\d+)\\.txt");
    private static final Pattern SUBJECT_DIR = Pattern.compile("p(\\d+)");
    private static final int BATCH = 512;
    private static final int SUBJECTS_PER_CHUNK = 128;
    static final CSVFormat OUT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    @Parameters(index = "0", paramLabel = "IN", description = "MIMIC-CXR report tree (files/pXX/pSUBJECT/sSTUDY.txt) or a headed CSV")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "where chexpert.csv, negbio.csv and sections.csv go")
    Path outDir;

    @Option(names = "--text-column", description = "CSV input: column holding the report text")
    String textColumn;

    @Option(names = "--id-column", description = "CSV input: column holding the id (written first)")
    String idColumn;

    @Option(names = "--no-sections", description = "label the given text as is, without picking a section")
    boolean noSections;

    @Option(names = "--workers", description = "labelling threads (default: available processors)")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--rules", description = "rule directory to use instead of the bundled rules")
    Path rules;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    /** One report to label: its id cells and where its text is. */
    record Item(String[] id, Path file, String text) {
        String read() {
            if (file == null) {
                return text;
            }
            try {
                // malformed bytes become U+FFFD instead of failing the whole run
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What is written for one report. */
    record Row(String[] id, ReportPipeline.Result result) {
    }

    /**
     * A unit of work in output order that lists (tree) or slices (CSV) its reports when run, so
     * the workers share directory listing and file reading, not only the labelling.
     */
    interface Chunk {
        List<Item> items() throws IOException;

        /** progress units: patients for a tree, reports for a CSV */
        int size();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabelCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workers must be at least 1");
        }
        if (!Files.exists(in)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "no such file or directory: " + in);
        }
        ReportPipeline pipeline = new ReportPipeline(rules == null ? RuleSet.bundled() : RuleSet.fromDirectory(rules));
        long t0 = System.nanoTime();
        List<String> idHeader;
        List<Chunk> chunks;
        if (Files.isDirectory(in)) {
            idHeader = List.of("subject_id", "study_id");
            chunks = treeChunks(subjectDirs(in));
        } else {
            if (textColumn == null || idColumn == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "CSV input needs --text-column and --id-column");
            }
            idHeader = List.of(idColumn);
            chunks = csvChunks(readCsv(in, idColumn, textColumn));
        }
        Files.createDirectories(outDir);
        long t1 = System.nanoTime();
        int[] counts = run(pipeline, chunks, idHeader);
        double listed = (t1 - t0) / 1e9;
        double s = (System.nanoTime() - t1) / 1e9;
        System.err.printf("listed input in %.1f s; read and labelled %d reports (%d label rows) in %.1f s (%.0f reports/s,"
                + " %d workers); labeler %s%n", listed, counts[0], counts[1], s, counts[0] / s, workers, pipeline.version());
        return 0;
    }

    /**
     * Subject directories (pSUBJECT) under IN, sorted by subject id. Follows the MIMIC-CXR layout
     * by name (files/pXX/pSUBJECT) without a stat per entry, and never enters the study image
     * directories (sSTUDY/).
     */
    static List<Path> subjectDirs(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        collectSubjects(root, out);
        out.sort(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(1))));
        return out;
    }

    private static void collectSubjects(Path dir, List<Path> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                boolean p = SUBJECT_DIR.matcher(name).matches();
                if (p && name.length() > 3) {
                    out.add(e);
                } else if (name.equals("files") || p) {
                    try {
                        collectSubjects(e, out);
                    } catch (NotDirectoryException notADirectory) {
                        // a file that happens to carry a directory's name
                    }
                }
            }
        }
    }

    /** The sSTUDY.txt reports of one subject directory, sorted by study id. */
    static List<Item> studies(Path subjectDir) throws IOException {
        String subject = subjectDir.getFileName().toString().substring(1);
        List<Item> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(subjectDir)) {
            for (Path e : entries) {
                Matcher m = STUDY_FILE.matcher(e.getFileName().toString());
                if (m.matches()) {
                    out.add(new Item(new String[] {subject, m.group(1)}, e, null));
                }
            }
        }
        out.sort(Comparator.comparingLong(i -> Long.parseLong(i.id()[1])));
        return out;
    }

    private static List<Chunk> treeChunks(List<Path> subjects) {
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i += SUBJECTS_PER_CHUNK) {
            List<Path> slice = subjects.subList(i, Math.min(subjects.size(), i + SUBJECTS_PER_CHUNK));
            out.add(new Chunk() {
                @Override
                public List<Item> items() throws IOException {
                    List<Item> items = new ArrayList<>();
                    for (Path subject : slice) {
                        items.addAll(studies(subject));
                    }
                    return items;
                }

                @Override
                public int size() {
                    return slice.size();
                }
            });
        }
        return out;
    }

    private static List<Chunk> csvChunks(List<Item> items) {
        List<Chunk> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += BATCH) {
            List<Item> slice = items.subList(i, Math.min(items.size(), i + BATCH));
            out.add(new Chunk() {
                @Override
                public List<Item> items() {
                    return slice;
                }

                @Override
                public int size() {
                    return slice.size();
                }
            });
        }
        return out;
    }

    static List<Item> readCsv(Path csv, String idColumn, String textColumn) throws IOException {
        List<Item> out = new ArrayList<>();
        try (Reader r = Csv.open(csv); CSVParser parser = Csv.HEADED.parse(r)) {
            for (String column : List.of(idColumn, textColumn)) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new CommandLine.ParameterException(new CommandLine(new LabelCommand()),
                            "no column '" + column + "' in " + csv + " (columns: " + parser.getHeaderNames() + ")");
                }
            }
            for (CSVRecord rec : parser) {
                out.add(new Item(new String[] {rec.get(idColumn)}, null, rec.get(textColumn)));
            }
        }
        out.sort((a, b) -> compareIds(a.id()[0], b.id()[0]));
        return out;
    }

    /** Numeric ids in numeric order; otherwise (or mixed) text order. */
    static int compareIds(String a, String b) {
        if (isNumber(a) && isNumber(b)) {
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the chunks on the worker pool, a bounded number ahead, and writes their rows in chunk
     * order. Returns {reports read, label rows written}.
     */
    private int[] run(ReportPipeline pipeline, List<Chunk> chunks, List<String> idHeader) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "label-worker");
            t.setDaemon(true);
            return t;
        });
        int reports = 0;
        int labelled = 0;
        try (Writer chexpertOut = Files.newBufferedWriter(outDir.resolve("chexpert.csv"), StandardCharsets.UTF_8);
             Writer negbioOut = Files.newBufferedWriter(outDir.resolve("negbio.csv"), StandardCharsets.UTF_8);
             Writer sectionsOut = Files.newBufferedWriter(outDir.resolve("sections.csv"), StandardCharsets.UTF_8);
             CSVPrinter chexpert = new CSVPrinter(chexpertOut, OUT);
             CSVPrinter negbio = new CSVPrinter(negbioOut, OUT);
             CSVPrinter sections = new CSVPrinter(sectionsOut, OUT);
             ProgressBar bar = progressBar(chunks.stream().mapToInt(Chunk::size).sum(), idHeader.size() == 2 ? "patients" : "reports")) {
            List<String> labelHeader = new ArrayList<>(idHeader);
            labelHeader.addAll(Observation.columns());
            chexpert.printRecord(labelHeader);
            negbio.printRecord(labelHeader);
            List<String> sectionHeader = new ArrayList<>(idHeader);
            sectionHeader.addAll(List.of("section", "text"));
            sections.printRecord(sectionHeader);

            Deque<Future<List<Row>>> inFlight = new ArrayDeque<>();
            Deque<Chunk> submitted = new ArrayDeque<>();
            int next = 0;
            while (next < chunks.size() || !inFlight.isEmpty()) {
                while (next < chunks.size() && inFlight.size() < workers * 4) {
                    Chunk chunk = chunks.get(next++);
                    inFlight.add(pool.submit(() -> labelBatch(pipeline, chunk.items())));
                    submitted.add(chunk);
                }
                List<Row> rows = await(inFlight.poll());
                Chunk done = submitted.poll();
                for (Row row : rows) {
                    labelled += write(row, chexpert, negbio, sections);
                }
                reports += rows.size();
                if (bar != null) {
                    bar.stepBy(done.size());
                    bar.setExtraMessage(reports + " reports");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new int[] {reports, labelled};
    }

    private List<Row> labelBatch(ReportPipeline pipeline, List<Item> batch) {
        List<Row> out = new ArrayList<>(batch.size());
        for (Item item : batch) {
            String text = item.read();
            out.add(new Row(item.id(), noSections ? pipeline.processText(text) : pipeline.process(text)));
        }
        return out;
    }

    private static List<Row> await(Future<List<Row>> f) throws InterruptedException, IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static int write(Row row, CSVPrinter chexpert, CSVPrinter negbio, CSVPrinter sections) throws IOException {
        List<String> s = new ArrayList<>(List.of(row.id()));
        s.add(row.result().section().kind().label());
        s.add(row.result().section().text().replaceAll("\\s+", " "));
        sections.printRecord(s);
        if (row.result().labels() == null) {
            return 0;
        }
        List<String> c = new ArrayList<>(List.of(row.id()));
        c.addAll(row.result().labels().chexpert().cells());
        chexpert.printRecord(c);
        List<String> n = new ArrayList<>(List.of(row.id()));
        n.addAll(row.result().labels().negbio().cells());
        negbio.printRecord(n);
        return 1;
    }

    private ProgressBar progressBar(int total, String unit) {
        if (noProgress) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("label (" + unit + ")").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
