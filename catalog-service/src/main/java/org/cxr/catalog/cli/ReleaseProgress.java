package org.cxr.catalog.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of {@code ./cxr release} on stderr (stdout keeps only the lines scripts read): one bar
 * per phase — building (the catalog writes the release), checking (files already in OUT),
 * downloading — with files n/N, bytes, rate and ETA. On a terminal the bar updates in place
 * (progressbar, as {@code ./cxr import}); otherwise a plain line every {@code interval}.
 */
final class ReleaseProgress {
    enum Mode {
        TTY, PLAIN, NONE;

        static Mode of(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "tty" -> TTY;
                case "plain" -> PLAIN;
                case "none" -> NONE;
                case "auto" -> System.console() != null ? TTY : PLAIN;
                default -> throw new IllegalArgumentException("--progress is auto, tty, plain or none, not " + s);
            };
        }
    }

    private final Mode mode;
    private final PrintWriter err;
    private final Duration interval;

    ReleaseProgress(Mode mode, PrintWriter err, Duration interval) {
        this.mode = mode;
        this.err = err;
        this.interval = mode == Mode.TTY ? Duration.ofMillis(250) : interval;
    }

    /**
     * A phase of {@code files} files (-1: unknown, e.g. building), of which {@code already} need no
     * work (the ETA counts only the rest).
     */
    Phase phase(String name, long files, long already) {
        if (mode == Mode.NONE) {
            return new Phase(null);
        }
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(name).setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(files).setUnit(" files", 1).setUpdateIntervalMillis((int) interval.toMillis())
                .continuousUpdate().startsFrom(already, Duration.ZERO);
        if (mode == Mode.PLAIN) {
            b.setConsumer(new DelegatingProgressBarConsumer(err::println, 160));
        }
        return new Phase(b.build());
    }

    /** One phase's bar; safe to update from the download threads. */
    static final class Phase implements AutoCloseable {
        private final ProgressBar bar;
        private final long t0 = System.nanoTime();
        private final AtomicLong fetched = new AtomicLong();
        private volatile long shown;

        private Phase(ProgressBar bar) {
            this.bar = bar;
        }

        /** {@code n} more bytes came over the network. */
        void bytes(long n) {
            fetched.addAndGet(n);
            if (System.nanoTime() - shown > 100_000_000L) { // not once per buffer
                message(null);
            }
        }

        /** A file is complete (checked, or downloaded). */
        void file() {
            if (bar != null) {
                bar.step();
            }
            message(null);
        }

        /** A phase without files (building): what it waits for. */
        void status(String status) {
            message(status);
        }

        private void message(String status) {
            if (bar == null) {
                return;
            }
            shown = System.nanoTime();
            double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
            bar.setExtraMessage(status != null ? " " + status
                    : " " + size(fetched.get()) + ", " + size((long) (fetched.get() / seconds)) + "/s");
        }

        long fetchedBytes() {
            return fetched.get();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (unit * 10)), "KMGTPE".charAt(unit - 1));
    }
}
