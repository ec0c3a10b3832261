package org.cxr.convert.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cxr.convert.domain.ConversionResult;
import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.domain.ConversionFailure;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.DatasetLayout;
import org.cxr.convert.domain.InstanceIds;
import org.cxr.convert.domain.MemoryBudget;
import org.cxr.convert.domain.metadata.MetadataFormat;
import org.cxr.convert.domain.pixels.SampleBuffers;
import org.cxr.convert.natives.NativeConverter;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code ./cxr convert IN OUT}: the converter of the service, on files. See docs/convert.md.
 * Options are read with Apache Commons CLI: a short run is mostly start-up, and a reflective
 * parser (annotations, generated accessors) cost more of it than any other step but loading the
 * native libraries.
 */
public final class ConvertCommand {
    static final String USAGE = "convert IN OUT [options]";
    static final String DESCRIPTION = "Converts DICOM to JPG with the MIMIC-CXR-JPG recipe. IN a DICOM file: OUT is"
            + " the JPG. IN a folder: every *.dcm (and extension-less file) under it; MIMIC-CXR layout"
            + " files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm gives OUT/files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg, any other"
            + " path is mirrored under OUT; OUT/metadata.csv gets the 12 published metadata columns of the converted"
            + " images and OUT/failures.csv the files that failed, with their reason.";
    static final String EXIT_CODES = "Exit code: 0 all converted, 1 some failed, 2 usage error.";

    private static final Option WORKERS = valued("workers", "N", "files decoded at once (default: number of cores);"
            + " each file's recipe, encode and write run on a second thread while the next one decodes");
    private static final Option PNG = flag("png", "write the 8-bit image just before JPEG encoding as PNG instead of the JPG");
    private static final Option FAIL_FAST = flag("fail-fast", "stop at the first file that fails");
    private static final Option MEMORY_MB = valued("memory-mb", "MB",
            "cap on decoded pixel memory held at once by all workers (default: half the heap)");
    private static final Option MAX_PIXELS = valued("max-pixels", "N",
            "largest Rows x Columns converted (default " + Converter.Options.DEFAULT.maxPixels() + ")");
    private static final Option TIMINGS = valued("timings", "CSV", "write per-file timings (ms) to this CSV");
    private static final Option QUIET = flag("quiet", "no progress bar");
    private static final Option HELP = Option.builder("h").longOpt("help").desc("show this help and exit").get();
    private static final Option VERSION = Option.builder("V").longOpt("version").desc("print the version and exit").get();
    /** Benchmarks (not in the help): convert everything K times before the measured pass. */
    private static final Option WARMUP_PASSES = valued("warmup-passes", "K", "");
    /** Benchmarks (not in the help): convert everything M times; --timings gets each file's median. */
    private static final Option MEASURE_PASSES = valued("measure-passes", "M", "");

    Path in;
    Path out;
    int workers = Runtime.getRuntime().availableProcessors();
    boolean png;
    boolean failFast;
    long memoryMb = Runtime.getRuntime().maxMemory() / 2 / (1 << 20);
    long maxPixels = Converter.Options.DEFAULT.maxPixels();
    Path timingsFile;
    int warmupPasses;
    int measurePasses = 1;
    boolean quiet;

    private final PrintStream err = System.err;

    /** One input file and where its image goes. */
    record Job(Path source, String relative, InstanceIds ids, Path target) {
    }

    /** @param wallNanos conversion plus writing the output file */
    record Outcome(Job job, ConversionResult result, long wallNanos) {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses the arguments and converts; the exit code. */
    static int run(String... args) {
        ConvertCommand command = new ConvertCommand();
        try {
            org.apache.commons.cli.CommandLine line = new DefaultParser().parse(options(true), args);
            if (line.hasOption(HELP)) {
                printHelp();
                return 0;
            }
            if (line.hasOption(VERSION)) {
                System.out.println(Converter.VERSION);
                return 0;
            }
            command.read(line);
        } catch (ParseException e) {
            System.err.println("convert: " + e.getMessage());
            System.err.println("usage: " + USAGE + " (--help for the options)");
            return 2;
        }
        try {
            return command.call();
        } catch (Exception e) {
            System.err.println("convert: " + e);
            return 1;
        }
    }

    private void read(org.apache.commons.cli.CommandLine line) throws ParseException {
        List<String> positional = line.getArgList();
        if (positional.size() != 2) {
            throw new ParseException("expected IN and OUT, got " + positional.size() + " argument(s)");
        }
        in = Path.of(positional.get(0));
        out = Path.of(positional.get(1));
        workers = (int) number(line, WORKERS, workers, 1, Integer.MAX_VALUE);
        memoryMb = number(line, MEMORY_MB, memoryMb, 1, Long.MAX_VALUE >> 20);
        maxPixels = number(line, MAX_PIXELS, maxPixels, 1, Long.MAX_VALUE);
        warmupPasses = (int) number(line, WARMUP_PASSES, warmupPasses, 0, Integer.MAX_VALUE);
        measurePasses = (int) number(line, MEASURE_PASSES, measurePasses, 1, Integer.MAX_VALUE);
        png = line.hasOption(PNG);
        failFast = line.hasOption(FAIL_FAST);
        quiet = line.hasOption(QUIET);
        timingsFile = line.hasOption(TIMINGS) ? Path.of(line.getOptionValue(TIMINGS)) : null;
    }

    private static long number(org.apache.commons.cli.CommandLine line, Option option, long otherwise, long min,
                               long max) throws ParseException {
        String v = line.getOptionValue(option);
        if (v == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParseException("--" + option.getLongOpt() + " must be a whole number from " + min + " to " + max
                + ", not '" + v + "'");
    }

    private static Options options(boolean withBenchmarkOptions) {
        Options o = new Options();
        for (Option opt : new Option[]{WORKERS, PNG, FAIL_FAST, MEMORY_MB, MAX_PIXELS, TIMINGS, QUIET, HELP, VERSION}) {
            o.addOption(opt);
        }
        if (withBenchmarkOptions) {
            o.addOption(WARMUP_PASSES).addOption(MEASURE_PASSES);
        }
        return o;
    }

    private static Option flag(String name, String description) {
        return Option.builder().longOpt(name).desc(description).get();
    }

    private static Option valued(String name, String argName, String description) {
        return Option.builder().longOpt(name).hasArg().argName(argName).desc(description).get();
    }

    private static void printHelp() {
        PrintWriter w = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        new HelpFormatter().printHelp(w, 100, USAGE, DESCRIPTION, options(false), 2, 2, EXIT_CODES);
        w.flush();
    }

    int call() throws Exception {
        if (!Files.exists(in)) {
            err.println("convert: " + in + " does not exist");
            return 2;
        }
        preloadNatives();
        Converter converter = NativeConverter.create(new MemoryBudget(memoryMb << 20),
                new Converter.Options(maxPixels, !png, png, false));
        String ext = png ? "png" : "jpg";
        if (Files.isRegularFile(in)) {
            return convertOne(converter, ext);
        }
        List<Job> jobs = plan(ext);
        if (jobs.isEmpty()) {
            err.println("convert: no DICOM files (*.dcm or without extension) under " + in);
            return 1;
        }
        for (int pass = 0; pass < warmupPasses; pass++) {
            run(converter, jobs, false);
        }
        List<Outcome> outcomes = run(converter, jobs, !quiet);
        List<List<Outcome>> repeats = new ArrayList<>(List.of(outcomes));
        for (int pass = 1; pass < measurePasses; pass++) {
            repeats.add(run(converter, jobs, false));
        }
        return report(outcomes, jobs.size(), repeats);
    }

    /**
     * Loads OpenCV on another thread while this one lists and reads the first files: a few hundred
     * milliseconds of a short run. The first encode waits for it (class initialisation is once,
     * for every thread); a load failure shows there, so it is dropped here. OpenJPEG loads with
     * the first JPEG 2000 file.
     */
    private static void preloadNatives() {
        Thread t = new Thread(() -> {
            try {
                NativeConverter.preloadEncoder();
            } catch (RuntimeException | LinkageError e) {
                // reported by the conversions that need the library
            }
        }, "native-preload");
        t.setDaemon(true);
        t.start();
    }

    private int convertOne(Converter converter, String ext) throws IOException {
        InstanceIds ids = DatasetLayout.parseMimicPath(in.toAbsolutePath().toString().replace('\\', '/'))
                .orElse(null);
        ConversionResult r = converter.convert(in, ids);
        if (Files.isDirectory(out)) { // OUT an existing folder: the image goes in it, named like IN
            String name = in.getFileName().toString();
            out = out.resolve((name.toLowerCase(Locale.ROOT).endsWith(".dcm") ? name.substring(0, name.length() - 4) : name)
                    + "." + ext);
        }
        if (r instanceof Converted c) {
            writeAtomically(out, png ? c.png() : c.jpg());
            err.printf(Locale.ROOT, "%s -> %s (%dx%d%s, %.0f ms)%n", in, out, c.rows(), c.columns(),
                    c.constantImage() ? ", constant image" : "", c.timings().totalMillis());
            return 0;
        }
        Failed f = (Failed) r;
        err.println("convert: " + in + " failed: " + f.reason() + ": " + f.message());
        return 1;
    }

    /** The files under IN, their ids and their targets. */
    List<Job> plan(String ext) throws IOException {
        List<Job> jobs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(in)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = in.relativize(p).toString().replace('\\', '/');
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !(name.toLowerCase(Locale.ROOT).endsWith(".dcm") || !name.contains("."))) {
                    continue;
                }
                if (p.toAbsolutePath().startsWith(out.toAbsolutePath())) {
                    continue; // OUT inside IN
                }
                var mimic = DatasetLayout.parseMimicPath(rel);
                if (mimic.isPresent()) {
                    jobs.add(new Job(p, rel, mimic.get(), out.resolve(DatasetLayout.imagePath(mimic.get(), ext))));
                } else {
                    String base = name.toLowerCase(Locale.ROOT).endsWith(".dcm") ? rel.substring(0, rel.length() - 4) : rel;
                    jobs.add(new Job(p, rel, null, out.resolve(base + "." + ext)));
                }
            }
        }
        return jobs;
    }

    /** A decoded file on its way from a lane's decoding thread to its finishing thread; {@code job} null: no more. */
    private record Handoff(Job job, Converter.Decoded decoded, long decodeNanos) {
        static final Handoff END = new Handoff(null, null, 0);
    }

    /**
     * A file on its way from a lane's reading thread to its decoding thread; {@code read} null: a file
     * over {@link #READ_AHEAD_MAX_BYTES}, which the decoding thread reads; {@code job} null: no more.
     */
    private record Ahead(Job job, Converter.Read read, long readNanos) {
        static final Ahead END = new Ahead(null, null, 0);
    }

    /** Larger files are not read ahead: a lane holds at most two files' bytes beyond the memory budget. */
    static final long READ_AHEAD_MAX_BYTES = 64L << 20;
    /** Idle sample arrays a lane keeps: one a file is finished with, ready before its decoding thread needs it. */
    static final int SAMPLE_BUFFERS = 2;

    /**
     * Converts the jobs on {@code workers} lanes (fewer for fewer jobs). A lane is three threads in a row: one reads
     * and parses a file, the next decodes it, the last runs the recipe, the encode and the write, each on the
     * following file as soon as it has handed over its own. The decoding thread is the busiest (decoding is most of
     * a conversion), so the other two keep work off it. The reading thread is at most one file ahead; the
     * finishing thread may be two files behind, so that the decoding thread goes on while the finishing thread
     * catches up after slow files (the first encode waits for OpenCV to load; uncompressed files finish slower than
     * they decode): a lane holds at most four files' decoded pixels (within the {@link MemoryBudget}) and
     * two files' bytes read ahead (each at most {@link #READ_AHEAD_MAX_BYTES}), and up to {@link #SAMPLE_BUFFERS}
     * idle sample arrays of files it finished, zeroed for the next decodes of that size. Files go to lanes in
     * order as they free up.
     */
    private List<Outcome> run(Converter converter, List<Job> jobs, boolean progress) throws InterruptedException {
        int lanes = Math.min(workers, jobs.size());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3 * lanes, r -> {
            // named by lane and role (tasks are submitted read, decode, finish, ...): profiles by thread
            int n = threads.getAndIncrement();
            Thread t = new Thread(r, "convert-" + ROLES[n % 3] + n / 3);
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        ProgressBar bar = progress && System.console() != null
                ? new ProgressBarBuilder().setTaskName("convert").setInitialMax(jobs.size())
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate().setUpdateIntervalMillis(200).build()
                : null;
        try {
            List<Future<?>> finishing = new ArrayList<>();
            List<Future<?>> decoding = new ArrayList<>();
            List<Future<?>> reading = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                ArrayBlockingQueue<Ahead> ahead = new ArrayBlockingQueue<>(1);
                ArrayBlockingQueue<Handoff> handoff = new ArrayBlockingQueue<>(2);
                // sample arrays go round the lane: the finishing thread zeroes them for the decoding thread
                SampleBuffers buffers = new SampleBuffers(SAMPLE_BUFFERS);
                reading.add(pool.submit(() -> {
                    try {
                        for (int i; !stop.get() && (i = next.getAndIncrement()) < jobs.size(); ) {
                            Job job = jobs.get(i);
                            long t0 = System.nanoTime();
                            Converter.Read r = readAhead(job.source()) ? converter.read(job.source(), job.ids()) : null;
                            ahead.put(new Ahead(job, r, System.nanoTime() - t0));
                        }
                    } finally { // also after an Error: the decoding thread must not wait forever
                        ahead.put(Ahead.END);
                    }
                    return null;
                }));
                decoding.add(pool.submit(() -> {
                    try {
                        for (Ahead a; (a = ahead.take()) != Ahead.END; ) {
                            if (stop.get()) {
                                continue; // --fail-fast: a file read ahead after the failure is not attempted
                            }
                            long t0 = System.nanoTime();
                            Converter.Read r = a.read() != null ? a.read() : converter.read(a.job().source(), a.job().ids());
                            Converter.Decoded d = converter.decode(r, buffers);
                            if (failFast && d.failed()) {
                                stop.set(true); // before the next file is taken, not once it is finished
                            }
                            handoff.put(new Handoff(a.job(), d, a.readNanos() + System.nanoTime() - t0));
                        }
                    } finally { // also after an Error: the finishing thread must not wait forever
                        handoff.put(Handoff.END);
                    }
                    return null;
                }));
                finishing.add(pool.submit(() -> {
                    for (Handoff h; (h = handoff.take()) != Handoff.END; ) {
                        Outcome o = finish(converter, h);
                        outcomes.add(o);
                        if (failFast && o.result() instanceof Failed) {
                            stop.set(true);
                        }
                        if (bar != null) {
                            bar.step();
                        }
                    }
                    return null;
                }));
            }
            // downstream first: a thread that died (an Error) is seen before the thread upstream of it, which may wait
            // forever on a full queue, and shutdownNow below frees that one
            for (Future<?> f : concat(finishing, decoding, reading)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
        return new ArrayList<>(outcomes);
    }

    private static final String[] ROLES = {"read-", "decode-", "finish-"};

    /** Whether the reading thread reads this file (else the decoding thread does, and reports any error). */
    private static boolean readAhead(Path file) {
        try {
            return Files.size(file) <= READ_AHEAD_MAX_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    @SafeVarargs
    private static List<Future<?>> concat(List<Future<?>>... lists) {
        List<Future<?>> all = new ArrayList<>();
        for (List<Future<?>> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The second half of a conversion and the write; the time is both halves' own, without the wait between. */
    private Outcome finish(Converter converter, Handoff h) {
        long t0 = System.nanoTime();
        ConversionResult r = converter.finish(h.decoded());
        InstanceIds ids = r.ids();
        if (r instanceof Converted c) {
            try {
                writeAtomically(h.job().target(), png ? c.png() : c.jpg());
            } catch (IOException e) {
                r = new Failed(ids, ConversionFailure.IO_ERROR, "cannot write " + h.job().target() + ": "
                        + e.getMessage(), c.timings());
            }
        }
        return new Outcome(h.job(), r, h.decodeNanos() + System.nanoTime() - t0);
    }

    private int report(List<Outcome> outcomes, int planned, List<List<Outcome>> repeats) throws IOException {
        outcomes.sort(Comparator.comparing(o -> o.job().relative()));
        for (List<Outcome> r : repeats) {
            r.sort(Comparator.comparing(o -> o.job().relative()));
        }
        Files.createDirectories(out);
        Map<ConversionFailure, Integer> failures = new EnumMap<>(ConversionFailure.class);
        int converted = 0;
        try (CSVPrinter meta = csv(out.resolve("metadata.csv"), MetadataFormat.COLUMNS);
             CSVPrinter fails = csv(out.resolve("failures.csv"), List.of("file", "reason", "message"))) {
            for (Outcome o : outcomes) {
                if (o.result() instanceof Converted c) {
                    converted++;
                    meta.printRecord(MetadataFormat.row(c.ids(), c.metadata()));
                } else {
                    Failed f = (Failed) o.result();
                    failures.merge(f.reason(), 1, Integer::sum);
                    fails.printRecord(o.job().relative(), f.reason(), f.message());
                }
            }
        }
        if (timingsFile != null) {
            try (CSVPrinter t = csv(timingsFile, List.of("file", "transfer_syntax", "status", "read_ms", "decode_ms",
                    "recipe_ms", "encode_ms", "total_ms", "with_write_ms"))) {
                for (int i = 0; i < outcomes.size(); i++) {
                    // the pass whose conversion + write time is the median for this file
                    List<Outcome> runs = new ArrayList<>();
                    for (List<Outcome> r : repeats) {
                        if (i < r.size()) {
                            runs.add(r.get(i));
                        }
                    }
                    runs.sort(Comparator.comparingLong(Outcome::wallNanos));
                    Outcome o = runs.get(runs.size() / 2);
                    var tm = o.result().timings();
                    String ts = o.result() instanceof Converted c ? c.transferSyntaxUid() : "";
                    String status = o.result() instanceof Failed f ? f.reason().name() : "OK";
                    t.printRecord(o.job().relative(), ts, status, ms(tm.readNanos()), ms(tm.decodeNanos()),
                            ms(tm.recipeNanos()), ms(tm.encodeNanos()), ms(tm.totalNanos()), ms(o.wallNanos()));
                }
            }
        }
        int failed = outcomes.size() - converted;
        int skipped = planned - outcomes.size();
        err.printf(Locale.ROOT, "converted %d of %d file(s) into %s%s%n", converted, planned, out,
                skipped > 0 ? " (" + skipped + " not attempted: --fail-fast)" : "");
        if (failed > 0) {
            err.println("failed: " + failed + " (details in " + out.resolve("failures.csv") + ")");
            failures.forEach((reason, n) -> err.printf(Locale.ROOT, "  %-28s %d%n", reason, n));
        }
        return failed > 0 || skipped > 0 ? 1 : 0;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static CSVPrinter csv(Path file, List<String> header) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").get());
    }

    private static final java.util.Set<Path> CREATED_DIRS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Writes to a hidden sibling, then renames: a crash never leaves a half-written image under
     * the target's name. The sibling's name is fixed (no random temp-file name: its SecureRandom
     * costs a cold start tens of milliseconds); one run writes each target once.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!CREATED_DIRS.contains(dir)) {
            Files.createDirectories(dir);
            CREATED_DIRS.add(dir);
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } catch (RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
