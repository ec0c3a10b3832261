package org.cxr.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;

import org.cxr.generator.image.ChestPhantom;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.image.ImageSpec;

/**
 * Generator speed, in thread CPU time (so that the figures mean something on a busy machine) and
 * wall time: pixel synthesis of a 3000×2500 16-bit image, one full-size instance per transfer
 * syntax (pixels + encoding + writing to a null stream), and headers + report per study.
 * Not a test (no *Test name); run it as docs/benchmarks.md says.
 */
public final class GeneratorBenchmark {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private GeneratorBenchmark() {
    }

    interface Work {
        void run() throws IOException;
    }

    /** Median CPU and wall milliseconds of {@code runs} runs after {@code runs / 2 + 2} warm-ups. */
    static double[] measure(int runs, Work work) throws IOException {
        for (int i = 0; i < runs / 2 + 2; i++) {
            work.run();
        }
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c = MX.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            work.run();
            cpu[i] = (MX.getCurrentThreadCpuTime() - c) / 1e6;
            wall[i] = (System.nanoTime() - w) / 1e6;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        return new double[]{cpu[runs / 2], wall[runs / 2]};
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        ImageSpec big = new ImageSpec(3000, 2500, 16, 12, 0, ImageSpec.MONOCHROME2, true, EncodedSyntax.EXPLICIT_VR_LE);
        double[] r = measure(runs, () -> ChestPhantom.render(big, 42));
        System.out.printf(Locale.ROOT, "| pixels of a 3000x2500 16-bit image | %.1f | %.1f |%n", r[0], r[1]);
        for (EncodedSyntax s : EncodedSyntax.values()) {
            GeneratedInstance in = new StudyGenerator(3, GeneratorOptions.defaults().withSyntaxes(EnumSet.of(s)))
                    .iterator().next().instances().get(0);
            double[] m = measure(s == EncodedSyntax.DEFLATED_EXPLICIT_VR_LE ? Math.max(3, runs / 3) : runs,
                    () -> in.writeTo(OutputStream.nullOutputStream()));
            System.out.printf(Locale.ROOT, "| instance %dx%d %d-bit, %s (pixels + encoding) | %.1f | %.1f |%n",
                    in.image().rows(), in.image().columns(), in.image().bitsAllocated(), s.cliName(), m[0], m[1]);
        }
        double[] studies = measure(3, () -> new StudyGenerator(7, GeneratorOptions.defaults()).studies(1000).count());
        System.out.printf(Locale.ROOT, "| 1000 studies: headers, report, answer key (no pixels) | %.1f | %.1f |%n", studies[0], studies[1]);
    }
}
