package org.cxr.generator.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.output.TreeWriter;
import org.cxr.generator.phi.PhiFolder;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./cxr generate OUT --studies N ...}: writes a tree of synthetic studies with answer keys. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes synthetic chest X-ray studies (DICOM + report) and their answer keys into OUT.",
                "Deterministic: the same seed and options give the same bytes."})
public final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT", description = "Output folder (created; must be empty).")
    Path out;

    @Option(names = "--studies", paramLabel = "N", defaultValue = "100", description = "Number of studies (default ${DEFAULT-VALUE}).")
    long studies;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--layout", paramLabel = "mimic|flat", defaultValue = "mimic",
            description = "mimic: files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm + sSTUDY.txt; flat: STUDY_UID/SOP_UID.dcm + STUDY_UID.txt (default ${DEFAULT-VALUE}).")
    TreeWriter.Layout layout;

    @Option(names = "--phi", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Fake patient identities in headers and reports, for de-identification to remove (default on; --no-phi: already de-identified, like MIMIC).")
    boolean phi;

    @Option(names = "--phi-corpus",
            description = "Write the PHI corpus instead: a PACS export (export/STUDY_UID/N.dcm + STUDY_UID.txt) of dictations with planted identifiers, gold.jsonl (gold spans) and identifiers.tsv (what a leak scan looks for).")
    boolean phiCorpus;

    @Option(names = "--dicom-source", paramLabel = "DIR",
            description = "With --phi-corpus: DICOM files to give identities to (default: $CXR_SHARED_DIR/data/dicom/chest or ../shared/data/dicom/chest when present, else synthetic images; 'none': synthetic).")
    String dicomSource;

    @Option(names = "--max-rows", paramLabel = "R", defaultValue = "0", description = "Cap on image rows (0 = full size, up to 3056).")
    int maxRows;

    @Option(names = "--max-cols", paramLabel = "C", defaultValue = "0", description = "Cap on image columns (0 = full size).")
    int maxCols;

    @Option(names = "--target-size", paramLabel = "BYTES",
            description = "Size each instance to about this many bytes (e.g. 1MB, 500kB); uses uncompressed syntaxes only.")
    String targetSize;

    @Option(names = "--syntaxes", paramLabel = "LIST", split = ",", defaultValue = "explicit,implicit,deflated,rle,jpeg",
            converter = SyntaxConverter.class,
            description = "Transfer syntaxes to mix (default ${DEFAULT-VALUE}; jpeg only for 8-bit images).")
    List<EncodedSyntax> syntaxes;

    @Option(names = "--studies-per-subject", paramLabel = "M", description = "Mean studies per patient (default: MIMIC's 3.48).")
    Double studiesPerSubject;

    @Option(names = "--workers", paramLabel = "W", description = "Encoding threads (default: number of processors).")
    Integer workers;

    @Override
    public Integer call() throws Exception {
        if (phiCorpus) {
            return phiCorpus();
        }
        GeneratorOptions options = GeneratorOptions.defaults()
                .withMaxSize(maxRows, maxCols)
                .withPhi(phi)
                .withSyntaxes(EnumSet.copyOf(syntaxes))
                .withTargetInstanceBytes(targetSize == null ? 0 : parseSize(targetSize))
                .withStudiesPerSubject(studiesPerSubject == null ? GeneratorOptions.MIMIC_STUDIES_PER_SUBJECT : studiesPerSubject);
        int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        StudyGenerator generator = new StudyGenerator(seed, options);
        long start = System.nanoTime();
        TreeWriter.Summary summary;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("studies").setInitialMax(studies)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build()) {
            summary = new TreeWriter(out, layout, w).write(generator.studies(studies), bar::stepTo);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %d studies, %d instances, %.1f MB to %s in %.1f s (%.1f studies/s, %.1f MB/s, %d workers)%n",
                summary.studies(), summary.instances(), summary.bytes() / 1e6, out, seconds,
                summary.studies() / seconds, summary.bytes() / 1e6 / seconds, w);
        return 0;
    }

    private int phiCorpus() throws java.io.IOException {
        Path source = dicomSource != null ? (dicomSource.equals("none") ? null : Path.of(dicomSource)) : sharedChest();
        PhiFolder.Written w = PhiFolder.write(out, seed, Math.toIntExact(studies), source);
        long identifiers = w.reports().stream().mapToLong(r -> r.identifiers().size()).sum();
        long keeps = w.reports().stream().mapToLong(r -> r.keeps().size()).sum();
        System.out.printf(Locale.ROOT, "wrote %d dictations (%d identifiers, %d must-keep spans) and %d %s DICOM files to %s;"
                        + " %d strings to scan for in %s%n", w.studies(), identifiers, keeps, w.instances(),
                w.realDicoms() ? "real (re-identified)" : "synthetic", w.export(), w.needles().size(), w.identifiers());
        return 0;
    }

    /** ../shared/data/dicom/chest (or under $CXR_SHARED_DIR), when it is there. */
    static Path sharedChest() {
        String env = System.getenv("CXR_SHARED_DIR");
        Path root = env != null ? Path.of(env) : Path.of("..", "shared");
        Path chest = root.resolve("data/dicom/chest");
        return java.nio.file.Files.isDirectory(chest) ? chest : null;
    }

    /** "1048576", "1MB", "500kB", "2 MiB" (k/M/G are powers of 1000, Ki/Mi/Gi of 1024). */
    static long parseSize(String s) {
        var m = java.util.regex.Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]i?)?[bB]?\\s*").matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + s);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        double factor = switch (unit) {
            case "" -> 1;
            case "k" -> 1e3;
            case "ki" -> 1024;
            case "m" -> 1e6;
            case "mi" -> 1024 * 1024;
            case "g" -> 1e9;
            default -> 1024.0 * 1024 * 1024;
        };
        return Math.round(v * factor);
    }

    static final class SyntaxConverter implements CommandLine.ITypeConverter<EncodedSyntax> {
        @Override
        public EncodedSyntax convert(String value) {
            return EncodedSyntax.ofCliName(value.trim());
        }
    }

    /** The command line with its error handling: bad options and failures print one line, no stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new GenerateCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("generate: " + e.getMessage());
                    return 1;
                });
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
