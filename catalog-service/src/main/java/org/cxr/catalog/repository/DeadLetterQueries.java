package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/**
 * The dead letters of every stage as the catalog recorded them (convert's and label's from their
 * dead-letter topics, its own), with their last redrive: the operator's dead-letter page.
 */
@ApplicationScoped
public class DeadLetterQueries {
    private static final String COLUMNS = "d.event_id, d.stage, d.reason, d.message, d.subject_id, d.study_id,"
            + " d.dicom_id, d.original_topic, d.original_event_id, d.attempts, d.history, d.failed_at, d.recorded_at,"
            + " r.requested_by, r.requested_at";
    private static final String LAST_REDRIVE = " LEFT JOIN LATERAL (SELECT requested_by, requested_at FROM redrive x"
            + " WHERE x.event_id = d.event_id ORDER BY requested_at DESC LIMIT 1) r ON true";
    private static final String WHERE = " WHERE (?::text IS NULL OR d.stage = ?) AND (?::text IS NULL OR d.reason = ?)";

    @Inject
    AgroalDataSource ds;

    /**
     * One dead letter; {@code redrivenBy}/{@code redrivenAt}: its last redrive, only when it has not
     * failed again since (then it is waiting for the stage's answer or was handled).
     */
    public record Item(String eventId, String stage, String reason, String message, Integer subjectId, Integer studyId,
            String dicomId, String originalTopic, String originalEventId, Integer attempts, String history,
            Instant failedAt, Instant recordedAt, String redrivenBy, Instant redrivenAt) {
    }

    public record ItemPage(long total, List<Item> items) {
    }

    /** Dead letters per stage and reason: the total and the count per bucket (by recorded time). */
    public record Series(String stage, String reason, long total, List<Long> counts) {
    }

    public record Counts(List<Instant> times, List<Series> series) {
    }

    /** Newest first. */
    public ItemPage list(String stage, String reason, int page, int size) {
        try (Connection c = ds.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dead_letter d" + WHERE)) {
                bindFilter(ps, stage, reason);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Item> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dead_letter d" + LAST_REDRIVE
                    + WHERE + " ORDER BY d.recorded_at DESC, d.event_id LIMIT ? OFFSET ?")) {
                bindFilter(ps, stage, reason);
                ps.setInt(5, size);
                ps.setLong(6, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant recorded = instant(rs.getTimestamp(13));
                        Instant redrivenAt = instant(rs.getTimestamp(15));
                        boolean current = redrivenAt != null && !redrivenAt.isBefore(recorded);
                        items.add(new Item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                (Integer) rs.getObject(5), (Integer) rs.getObject(6), rs.getString(7), rs.getString(8),
                                rs.getString(9), (Integer) rs.getObject(10), rs.getString(11), instant(rs.getTimestamp(12)),
                                recorded, current ? rs.getString(14) : null, current ? redrivenAt : null));
                    }
                }
            }
            return new ItemPage(total, items);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read dead letters: " + e.getMessage(), e);
        }
    }

    /** Per stage and reason over the window, in buckets of step (the last one still filling). */
    public Counts counts(Duration window, Duration step) {
        long stepSecs = step.toSeconds();
        Instant now = Instant.now();
        long first = Math.floorDiv(now.minus(window).getEpochSecond(), stepSecs) * stepSecs;
        int buckets = (int) ((now.getEpochSecond() - first) / stepSecs) + 1;
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            times.add(Instant.ofEpochSecond(first + i * stepSecs));
        }
        Map<String, long[]> in = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT coalesce(stage, 'unknown'),"
                + " coalesce(reason, 'UNKNOWN'), floor((extract(epoch FROM recorded_at) - ?) / ?)::int, count(*)"
                + " FROM dead_letter GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
            ps.setLong(1, first);
            ps.setLong(2, stepSecs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + "\u0000" + rs.getString(2);
                    int k = rs.getInt(3);
                    long n = rs.getLong(4);
                    totals.merge(key, n, Long::sum);
                    long[] counts = in.computeIfAbsent(key, x -> new long[buckets]);
                    if (k >= 0 && k < buckets) {
                        counts[k] += n;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count dead letters: " + e.getMessage(), e);
        }
        List<Series> series = new ArrayList<>();
        in.forEach((key, counts) -> {
            String[] sr = key.split("\u0000", 2);
            series.add(new Series(sr[0], sr[1], totals.get(key), java.util.Arrays.stream(counts).boxed().toList()));
        });
        return new Counts(times, series);
    }

    private static void bindFilter(PreparedStatement ps, String stage, String reason) throws SQLException {
        ps.setString(1, stage);
        ps.setString(2, stage);
        ps.setString(3, reason);
        ps.setString(4, reason);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
