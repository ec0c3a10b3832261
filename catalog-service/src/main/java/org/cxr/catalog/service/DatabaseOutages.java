package org.cxr.catalog.service;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Waits out outages of the catalog database: a call that fails on a connection problem, a
 * lock/serialisation conflict or a database shutting down is run again after a pause (doubling up
 * to 10 s, with jitter so that replicas do not retry in lockstep against a recovering database).
 * Anything else is an answer (a data error) and is thrown at once.
 */
final class DatabaseOutages {
    private static final Logger LOG = Logger.getLogger(DatabaseOutages.class);
    private static final long FIRST_PAUSE_MS = 200;
    private static final long MAX_PAUSE_MS = 10_000;

    private DatabaseOutages() {
    }

    /** The call's result once it succeeds; when interrupted while waiting, the last failure is thrown. */
    static <T> T retrying(String what, Supplier<T> call) {
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                long sleep = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
                LOG.warnf("catalog database unavailable while %s (%s); retry %d in %d ms", what, rootMessage(e),
                        attempt, sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
        }
    }

    /** Connection problems, lock/serialisation conflicts and shutdowns: retry, never dead-letter. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("40001") || state.equals("40P01"))) {
                    return true;
                }
                if (s.getMessage() != null && s.getMessage().contains("Acquisition timeout")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = root(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The innermost cause as {@code class: message}, for dead letters. */
    static String describe(Throwable e) {
        return root(e).toString();
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
