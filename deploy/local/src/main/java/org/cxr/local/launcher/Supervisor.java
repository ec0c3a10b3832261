package org.cxr.local.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the platform's processes running, as Kubernetes does in production: a process that exits
 * without being asked to (kill -9, a crash, out of memory) is started again on the same ports and
 * data after a back-off (1 s, doubling up to 30 s; back to 1 s once it ran a minute), and counted.
 * Every change is reported to {@code onChange} (the launcher rewrites {@code platform.json}).
 */
final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);
    static final Duration RESTART_READY_TIMEOUT = Duration.ofMinutes(3);
    /** A child that exits while the platform starts is tried this many more times (a slow, loaded machine). */
    static final int START_RETRIES = 2;

    /** What {@code platform.json} shows of one process. */
    record Snapshot(long pid, String phase, int restarts, String lastExit, String since) {
    }

    /** One supervised process. */
    static final class Entry {
        final Child child;
        /** Children started together are stopped together. */
        final int group;
        volatile Process process;
        volatile String phase = "starting";
        volatile int restarts;
        volatile String lastExit;
        volatile Instant since = Instant.now();
        private Duration backoff = FIRST_BACKOFF;

        Entry(Child child, int group) {
            this.child = child;
            this.group = group;
        }

        Snapshot snapshot() {
            Process p = process;
            return new Snapshot(p == null ? 0 : p.pid(), phase, restarts, lastExit, since.toString());
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });
    private final Runnable onChange;
    private volatile boolean stopping;
    private int groups;

    Supervisor(Runnable onChange) {
        this.onChange = onChange;
        timer.scheduleWithFixedDelay(this::watch, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the children side by side and returns once all serve; throws (leaving the ones already
     * started to {@link #close}) when one does not.
     */
    void startAll(List<Child> children, Duration timeout) {
        List<Entry> started = new ArrayList<>();
        int group = groups++;
        for (Child c : children) {
            Entry e = new Entry(c, group);
            e.process = c.launch();
            entries.add(e);
            started.add(e);
        }
        onChange.run();
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        eachAtOnce(started, e -> {
            RuntimeException failure = awaitStart(e, timeout);
            if (failure != null) {
                e.phase = "failed";
                failures.add(failure);
            }
        });
        onChange.run();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** Waits until the child serves; one that exits is launched again up to {@link #START_RETRIES} times. */
    private RuntimeException awaitStart(Entry e, Duration timeout) {
        for (int attempt = 0; ; attempt++) {
            try {
                e.child.awaitReady(e.process, timeout);
                e.phase = "up";
                e.since = Instant.now();
                LOG.info("{} up (pid {})", e.child.name(), e.process.pid());
                return null;
            } catch (RuntimeException ex) {
                if (e.process.isAlive() || attempt == START_RETRIES || stopping) {
                    return ex;
                }
                e.restarts++;
                e.lastExit = "exit " + e.process.exitValue() + " at " + Instant.now() + " (while starting)";
                LOG.warn("{} exited while starting; starting it again: {}", e.child.name(), ex.getMessage());
                try {
                    e.process = e.child.launch();
                } catch (RuntimeException again) {
                    return again;
                }
                onChange.run();
            }
        }
    }

    /** Runs {@code action} for every entry, each in its own thread, and returns when all are done. */
    private static void eachAtOnce(List<Entry> entries, java.util.function.Consumer<Entry> action) {
        List<Thread> threads = new ArrayList<>();
        for (Entry e : entries) {
            Thread t = new Thread(() -> action.accept(e), "supervise-" + e.child.name());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + t.getName(), ex);
            }
        }
    }

    Map<String, Snapshot> snapshot() {
        Map<String, Snapshot> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.child.name(), e.snapshot()));
        return m;
    }

    /** Names of the children that are not serving right now (exited, restarting, failed). */
    List<String> down() {
        return entries.stream().filter(e -> !"up".equals(e.phase) || e.process == null || !e.process.isAlive())
                .map(e -> e.child.name()).toList();
    }

    private void watch() {
        if (stopping) {
            return;
        }
        for (Entry e : entries) {
            Process p = e.process;
            if ("up".equals(e.phase) && p != null && !p.isAlive()) {
                exited(e, p);
            }
        }
    }

    private void exited(Entry e, Process p) {
        Duration ran = Duration.between(e.since, Instant.now());
        if (ran.compareTo(STABLE) > 0) {
            e.backoff = FIRST_BACKOFF; // it had recovered: a new failure starts the back-off again
        }
        Duration delay = nextBackoff(e);
        e.restarts++;
        e.lastExit = "exit " + p.exitValue() + " at " + Instant.now();
        e.phase = "restarting";
        e.since = Instant.now();
        LOG.warn("{} (pid {}) exited with code {} after {} s; restart #{} in {} ms", e.child.name(), p.pid(),
                p.exitValue(), ran.toSeconds(), e.restarts, delay.toMillis());
        onChange.run();
        timer.schedule(() -> restart(e), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart(Entry e) {
        if (stopping) {
            return;
        }
        Process p;
        try {
            p = e.child.launch();
        } catch (RuntimeException ex) {
            LOG.warn("{} could not be started again: {}", e.child.name(), ex.toString());
            retryLater(e);
            return;
        }
        e.process = p;
        onChange.run();
        try {
            e.child.awaitReady(p, RESTART_READY_TIMEOUT);
            LOG.info("{} up again (pid {})", e.child.name(), p.pid());
        } catch (RuntimeException ex) {
            if (!p.isAlive()) {
                LOG.warn("{} exited again while starting: {}", e.child.name(), ex.toString());
                e.restarts++;
                e.lastExit = "exit " + p.exitValue() + " at " + Instant.now() + " (while starting)";
                retryLater(e);
                return;
            }
            LOG.warn("{} runs again (pid {}) but is not ready: {}", e.child.name(), p.pid(), ex.getMessage());
        }
        e.phase = "up";
        e.since = Instant.now();
        onChange.run();
    }

    private void retryLater(Entry e) {
        Duration delay = nextBackoff(e);
        onChange.run();
        if (!stopping) {
            timer.schedule(() -> restart(e), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The pause before the next start of {@code e}; the one after it doubles, up to {@link #MAX_BACKOFF}. */
    private static Duration nextBackoff(Entry e) {
        Duration delay = e.backoff;
        e.backoff = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
        return delay;
    }

    /** Stops every child: the last group started first, the children of a group side by side. */
    @Override
    public void close() {
        stopping = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS); // a restart in progress ends before we stop its process
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (int g = groups - 1; g >= 0; g--) {
            int group = g;
            eachAtOnce(entries.stream().filter(e -> e.group == group).toList(), e -> {
                try {
                    e.child.stop(e.process);
                } catch (RuntimeException ex) {
                    LOG.warn("stopping {} failed: {}", e.child.name(), ex.toString());
                }
                e.phase = "stopped";
            });
        }
    }
}
