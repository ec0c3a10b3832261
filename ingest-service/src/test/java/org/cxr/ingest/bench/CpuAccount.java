package org.cxr.ingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a measured run, from Linux's {@code /proc}: the whole
 * machine's busy time ({@code /proc/stat}) and this JVM's per-thread CPU time grouped by thread name
 * (request workers, event loops, JIT compilers, GC, the load driver, ...). A benchmark on a
 * 2-core machine that hosts service, load driver and servers together needs this to say what a
 * figure is bounded by. Empty on systems without {@code /proc}.
 */
final class CpuAccount {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final long machineBusy;
    private final long machineTotal;
    private final Map<String, Long> threads;
    private final long startNanos;

    private CpuAccount(long machineBusy, long machineTotal, Map<String, Long> threads) {
        this.machineBusy = machineBusy;
        this.machineTotal = machineTotal;
        this.threads = threads;
        this.startNanos = System.nanoTime();
    }

    static CpuAccount now() {
        long busy = 0;
        long total = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new CpuAccount(0, 0, Map.of());
        }
        Map<String, Long> byGroup = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                    byGroup.merge(group(Files.readString(t.resolve("comm")).trim()), ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return new CpuAccount(busy, total, Map.of());
        }
        return new CpuAccount(busy, total, byGroup);
    }

    /** Thread name without its number: "executor-thread-7" and "executor-thread-12" are one group. */
    static String group(String comm) {
        String g = comm.replaceAll("[-# ]?\\d+$", "").replaceAll("-\\d+-", "-N-");
        if (g.startsWith("C2 Compiler") || g.startsWith("C1 Compiler")) {
            return "JIT " + g.substring(0, 2);
        }
        if (g.startsWith("GC Thread") || g.startsWith("G1 ")) {
            return "GC";
        }
        return g;
    }

    /**
     * What was spent between {@code start} and now, per unit of work: machine cores busy, and for
     * the groups of this JVM's threads that used at least 1 % of a core, milliseconds per unit.
     */
    String since(String unit, int units) {
        CpuAccount end = now();
        if (end.machineTotal == 0 || machineTotal == 0) {
            return "no /proc: CPU not accounted";
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        int cpus = Runtime.getRuntime().availableProcessors();
        double busyCores = (end.machineBusy - machineBusy) / (double) (end.machineTotal - machineTotal) * cpus;
        double machineMsPerUnit = busyCores * seconds * 1000 / units;
        long jvmTicks = 0;
        Map<String, Double> msPerUnit = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : end.threads.entrySet()) {
            long d = e.getValue() - threads.getOrDefault(e.getKey(), 0L);
            jvmTicks += d;
            if (d / TICKS_PER_SECOND / seconds >= 0.01) {
                msPerUnit.put(e.getKey(), d / TICKS_PER_SECOND * 1000 / units);
            }
        }
        StringBuilder out = new StringBuilder(String.format("machine %.2f of %d cores busy = %.1f ms CPU per %s;"
                + " this JVM %.1f ms per %s:", busyCores, cpus, machineMsPerUnit, unit,
                jvmTicks / TICKS_PER_SECOND * 1000 / units, unit));
        List<Map.Entry<String, Double>> sorted = msPerUnit.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        for (Map.Entry<String, Double> e : sorted) {
            out.append(String.format(" %s %.2f,", e.getKey(), e.getValue()));
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
