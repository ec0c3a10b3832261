package org.cxr.platform.logging;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Which SmallRye Kafka producer errors are a broker outage, and how many of them to show: a
 * {@code SRMSG18206}/{@code SRMSG18212} record whose cause chain holds a Kafka
 * {@link RetriableException} (timeout, network, not enough replicas, ...) is lowered to WARN and
 * let through at most once per window and message id, carrying how many were dropped since. Every
 * other record, including those two ids with a non-retriable cause or none, is left as it is.
 */
final class KafkaOutageLog {
    static final String LOGGER = "io.smallrye.reactive.messaging.kafka";
    private static final String[] IDS = {"SRMSG18206", "SRMSG18212"};

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new HashMap<>();
    // Each handler with this filter asks about the same record: answer them all alike.
    private final Map<LogRecord, Boolean> decided = Collections.synchronizedMap(new WeakHashMap<>());

    KafkaOutageLog(Duration window, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    boolean isLoggable(LogRecord record) {
        String id = outageId(record);
        if (id == null) {
            return true;
        }
        Boolean earlier = decided.get(record);
        if (earlier != null) {
            return earlier;
        }
        if (record.getLevel().intValue() < Level.SEVERE.intValue()) {
            return true;
        }
        return decided.computeIfAbsent(record, r -> admit(id, r));
    }

    private synchronized boolean admit(String id, LogRecord record) {
        record.setLevel(org.jboss.logmanager.Level.WARN);
        long now = nanoTime.getAsLong();
        Window window = windows.get(id);
        if (window != null && now - window.openedAt < windowNanos) {
            window.dropped++;
            return false;
        }
        if (window != null && window.dropped > 0) {
            // since the last one let through, which may be longer ago than one window
            appendToMessage(record, " (" + window.dropped + " more like it dropped since the last one, at most one per "
                    + Duration.ofNanos(windowNanos).toSeconds() + " s)");
        }
        windows.put(id, new Window(now));
        return true;
    }

    private static String outageId(LogRecord record) {
        if (record.getLoggerName() == null || !record.getLoggerName().startsWith(LOGGER)
                || record.getMessage() == null || !isRetriable(record.getThrown())) {
            return null;
        }
        for (String id : IDS) {
            if (record.getMessage().startsWith(id)) {
                return id;
            }
        }
        return null;
    }

    private static boolean isRetriable(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    // The suffix has no format characters, so it is safe in a printf or MessageFormat pattern.
    private static void appendToMessage(LogRecord record, String suffix) {
        if (record instanceof ExtLogRecord ext) {
            ext.setMessage(ext.getMessage() + suffix, ext.getFormatStyle());
        } else {
            record.setMessage(record.getMessage() + suffix);
        }
    }

    private static final class Window {
        final long openedAt;
        long dropped;

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }
}
