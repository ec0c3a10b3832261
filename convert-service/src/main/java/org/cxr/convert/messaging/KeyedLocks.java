package org.cxr.convert.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key, held only while in use: two deliveries of the same instance processed by two
 * workers at once run one after the other, so the second sees the first's announcement.
 */
final class KeyedLocks {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Unlocks when closed. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held lock(String key) {
        Entry e;
        synchronized (entries) {
            e = entries.computeIfAbsent(key, k -> new Entry());
            e.users++;
        }
        e.lock.lock();
        return () -> {
            e.lock.unlock();
            synchronized (entries) {
                if (--e.users == 0) {
                    entries.remove(key);
                }
            }
        };
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
