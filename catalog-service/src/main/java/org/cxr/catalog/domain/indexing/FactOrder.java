package org.cxr.catalog.domain.indexing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;

/**
 * The total order of each kind of fact: of two facts with the same key, the greater one wins, so
 * a duplicate or an older fact changes nothing and the result does not depend on arrival order.
 * The catalog's upserts apply the same orders in SQL against the stored rows (times rounded to
 * microseconds as PostgreSQL stores them, text compared in the C collation as {@link String}
 * compares it); these pick the winner among the facts of one batch.
 */
public final class FactOrder {
    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());

    /** Latest (receivedAt, sha256). */
    public static final Comparator<InstanceReceived> RECEIVED = Comparator
            .comparing((InstanceReceived e) -> micros(e.receivedAt())).thenComparing(InstanceReceived::sha256, TEXT);
    /** Latest (convertedAt, converterVersion, sourceSha256, jpgKey). */
    public static final Comparator<InstanceConverted> CONVERTED = Comparator
            .comparing((InstanceConverted e) -> micros(e.convertedAt()))
            .thenComparing(InstanceConverted::converterVersion, TEXT)
            .thenComparing(InstanceConverted::sourceSha256, TEXT).thenComparing(InstanceConverted::jpgKey, TEXT);
    /** Latest (failedAt, reason, message), of normalised facts. */
    public static final Comparator<Fact.ImageFailed> IMAGE_FAILED = Comparator
            .comparing((Fact.ImageFailed e) -> micros(e.failedAt())).thenComparing(Fact.ImageFailed::reason, TEXT)
            .thenComparing(Fact.ImageFailed::message, TEXT);
    /** Highest (revision, receivedAt). */
    public static final Comparator<ReportReceived> REPORT_RECEIVED = Comparator
            .comparingInt(ReportReceived::revision).thenComparing(e -> micros(e.receivedAt()));
    /** Latest (failedAt, reason, message), of normalised facts. */
    public static final Comparator<Fact.ReportFailed> REPORT_FAILED = Comparator
            .comparing((Fact.ReportFailed e) -> micros(e.failedAt())).thenComparing(Fact.ReportFailed::reason, TEXT)
            .thenComparing(Fact.ReportFailed::message, TEXT);
    /** Latest labelledAt. */
    public static final Comparator<ReportLabelled> LABELLED = Comparator.comparing(e -> micros(e.labelledAt()));

    private FactOrder() {
    }

    /**
     * Keeps, per key, the fact that wins the order, sorted by key: concurrent batches then lock
     * rows in the same order and cannot deadlock each other on them.
     */
    public static <T, K extends Comparable<K>> List<T> winners(List<T> items, Function<T, K> key, Comparator<T> order) {
        Map<K, T> m = new TreeMap<>();
        for (T t : items) {
            m.merge(key.apply(t), t, (a, b) -> order.compare(b, a) > 0 ? b : a);
        }
        return new ArrayList<>(m.values());
    }

    /** A time as PostgreSQL stores it: microseconds, rounded half up. */
    public static Instant micros(Instant t) {
        long nanos = t.getNano() % 1000;
        Instant down = t.minusNanos(nanos);
        return nanos >= 500 ? down.plusNanos(1000) : down;
    }
}
