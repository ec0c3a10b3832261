package org.cxr.label.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cxr.label.eval.OpenI;
import org.cxr.label.eval.OpenIReport;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.rules.RuleSet;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ./cxr label-bench: single-thread throughput of section extraction + both labelers on the
 * Open-i reports (rebuilt with headers). Warm-up rounds, then timed rounds; prints every round
 * and the median, wall-clock and per CPU-second of the benchmark thread (what one core does when
 * the machine is shared), with the load average so a busy machine is visible in the figures.
 */
@Command(name = "label-bench", mixinStandardHelpOptions = true,
        description = "Single-core throughput of sectioning + both labelers (median of timed rounds).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--shared", description = "reference data directory (default: $CXR_SHARED_DIR, else ../shared)")
    Path shared;

    @Option(names = "--warmup", description = "untimed rounds first (JIT warm-up)")
    int warmup = 5;

    @Option(names = "--rounds", description = "timed rounds")
    int rounds = 15;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path root = shared != null ? shared : System.getenv("CXR_SHARED_DIR") != null
                ? Path.of(System.getenv("CXR_SHARED_DIR")) : Path.of("..", "shared");
        List<OpenIReport> reports = OpenI.load(root.resolve(EvalCommand.OPENI));
        List<String> texts = new ArrayList<>();
        long chars = 0;
        for (OpenIReport r : reports) {
            if (!r.isEmpty()) {
                texts.add(r.fullText());
                chars += r.fullText().length();
            }
        }
        ReportPipeline p = new ReportPipeline(RuleSet.bundled());
        System.out.printf(Locale.ROOT, "%d reports, mean %d chars; labeler %s; load average %s%n", texts.size(),
                chars / texts.size(), p.version(), loadAverage());
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += round(p, texts);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] rates = new double[rounds];
        double[] cpuRates = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            sink += round(p, texts);
            rates[i] = texts.size() / ((System.nanoTime() - t0) / 1e9);
            cpuRates[i] = texts.size() / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
            System.out.printf(Locale.ROOT, "round %2d: %,.0f reports/s wall, %,.0f reports per CPU-second%n", i + 1, rates[i], cpuRates[i]);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double[] cpuSorted = cpuRates.clone();
        Arrays.sort(cpuSorted);
        System.out.printf(Locale.ROOT, "median %,.0f reports/s wall-clock (min %,.0f, max %,.0f), %,.0f reports per CPU-second, one thread;"
                + " load average %s; checksum %d%n", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                cpuSorted[cpuSorted.length / 2], loadAverage(), sink);
        return 0;
    }

    /** Labels every text once; returns a checksum so the work cannot be optimised away. */
    private static long round(ReportPipeline p, List<String> texts) {
        long sum = 0;
        for (String t : texts) {
            ReportPipeline.Result r = p.process(t);
            sum += r.labels() == null ? 0 : r.labels().chexpert().hashCode() + r.labels().negbio().hashCode();
        }
        return sum;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
