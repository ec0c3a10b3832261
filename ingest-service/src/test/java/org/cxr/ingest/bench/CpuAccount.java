package org.cxr.ingest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a measured run, from Linux's {@code /proc}: the machine's
 * busy time ({@code /proc/stat}), each process's CPU time grouped by role (this JVM: service, load
 * driver and sink; the infra JVM: Kafka and S3Proxy; PostgreSQL; anything else), and this JVM's
 * threads grouped by name (request workers, event loops, JIT compilers, GC, load driver, ...). A
 * benchmark on a 2-core machine that hosts service, load driver and servers together needs this to
 * say what a figure is bounded by. Take the closing reading while the threads of interest are
 * still alive: a thread that has ended is counted in its process but not in its group.
 */
final class CpuAccount {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final String SELF = ProcessHandle.current().pid() + "";

    private final long machineBusy;
    private final long machineTotal;
    private final Map<String, Long> processes; // pid -> ticks
    private final Map<String, String> roles; // pid -> role
    private final Map<String, Long> threads; // group -> ticks (this JVM)
    private final long nanos;

    private CpuAccount(long machineBusy, long machineTotal, Map<String, Long> processes, Map<String, String> roles,
            Map<String, Long> threads) {
        this.machineBusy = machineBusy;
        this.machineTotal = machineTotal;
        this.processes = processes;
        this.roles = roles;
        this.threads = threads;
        this.nanos = System.nanoTime();
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
            return new CpuAccount(0, 0, Map.of(), Map.of(), Map.of());
        }
        Map<String, Long> processes = new HashMap<>();
        Map<String, String> roles = new HashMap<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                Long ticks = ticks(p);
                if (ticks != null) {
                    processes.put(p.getFileName().toString(), ticks);
                    roles.put(p.getFileName().toString(), role(p));
                }
            }
        } catch (IOException e) {
            // no process list: the machine total still stands
        }
        Map<String, Long> byGroup = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                Long ticks = ticks(t);
                if (ticks != null) {
                    try {
                        byGroup.merge(group(Files.readString(t.resolve("comm")).trim()), ticks, Long::sum);
                    } catch (IOException e) {
                        // the thread ended between listing and reading
                    }
                }
            }
        } catch (IOException e) {
            // no thread list
        }
        return new CpuAccount(busy, total, processes, roles, byGroup);
    }

    private static Long ticks(Path procEntry) {
        try {
            String stat = Files.readString(procEntry.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
        } catch (IOException | RuntimeException e) {
            return null; // ended, or not ours to read
        }
    }

    private static String role(Path proc) {
        if (proc.getFileName().toString().equals(SELF)) {
            return "this JVM";
        }
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            if (cmd.contains("InfraMain")) {
                return "infra JVM (Kafka, S3Proxy)";
            }
            if (Files.readString(proc.resolve("comm")).trim().equals("postgres")) {
                return "PostgreSQL";
            }
        } catch (IOException e) {
            // ended
        }
        return "other";
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
     * What was spent between this reading and now, per unit of work: machine cores busy; CPU
     * milliseconds per unit by process role; and for this JVM's thread groups that used at least
     * 1 % of a core, milliseconds per unit.
     */
    String since(String unit, int units) {
        CpuAccount end = now();
        if (end.machineTotal == 0 || machineTotal == 0) {
            return "no /proc: CPU not accounted";
        }
        double seconds = (System.nanoTime() - nanos) / 1e9;
        int cpus = Runtime.getRuntime().availableProcessors();
        double busyCores = (end.machineBusy - machineBusy) / (double) (end.machineTotal - machineTotal) * cpus;
        StringBuilder out = new StringBuilder(String.format("machine %.2f of %d cores busy = %.1f ms CPU per %s:",
                busyCores, cpus, busyCores * seconds * 1000 / units, unit));
        Map<String, Long> byRole = new TreeMap<>();
        for (Map.Entry<String, Long> e : end.processes.entrySet()) {
            long d = e.getValue() - processes.getOrDefault(e.getKey(), 0L);
            byRole.merge(end.roles.get(e.getKey()), d, Long::sum);
        }
        for (String role : List.of("this JVM", "infra JVM (Kafka, S3Proxy)", "PostgreSQL", "other")) {
            out.append(String.format(" %s %.1f,", role, byRole.getOrDefault(role, 0L) / TICKS_PER_SECOND * 1000 / units));
        }
        out.setLength(out.length() - 1);
        out.append("; this JVM's threads:");
        end.threads.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threads.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() / TICKS_PER_SECOND / seconds >= 0.01)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(" %s %.2f,", e.getKey(), e.getValue() / TICKS_PER_SECOND * 1000 / units)));
        out.setLength(out.length() - 1);
        return out.toString();
    }
}
