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

import org.cxr.events.EventJson;

import com.fasterxml.jackson.core.type.TypeReference;

import io.agroal.api.AgroalDataSource;

/**
 * What the pipeline page reads from the catalog's facts: events per stage and time bucket (each fact
 * row carries the time it happened), and the imports ingest announced.
 */
@ApplicationScoped
public class PipelineQueries {
    /** A stage's series: column name -> SQL counting the rows of one bucket ([?, ? + step)). */
    private static final Map<String, Map<String, String>> SERIES = new LinkedHashMap<>();

    static {
        SERIES.put("ingest", ordered(
                "received", "(SELECT count(*) FROM image WHERE received_at >= b.t AND received_at < b.t + s.step)"
                        + " + (SELECT count(*) FROM report_revision WHERE received_at >= b.t AND received_at < b.t + s.step)"));
        SERIES.put("convert", ordered(
                "received", "(SELECT count(*) FROM image WHERE received_at >= b.t AND received_at < b.t + s.step)",
                "processed", "(SELECT count(*) FROM image WHERE converted_at >= b.t AND converted_at < b.t + s.step)",
                "failed", "(SELECT count(*) FROM image WHERE failed_at >= b.t AND failed_at < b.t + s.step AND jpg_key IS NULL)"));
        SERIES.put("label", ordered(
                "received", "(SELECT count(*) FROM report_revision WHERE received_at >= b.t AND received_at < b.t + s.step)",
                "processed", "(SELECT count(*) FROM report_labelling WHERE labelled_at >= b.t AND labelled_at < b.t + s.step)",
                "failed", "(SELECT count(*) FROM report_revision WHERE failed_at >= b.t AND failed_at < b.t + s.step)"));
        SERIES.put("catalog", ordered(
                "processed", "(SELECT count(*) FROM study WHERE state = 'COMPLETE' AND state_since >= b.t"
                        + " AND state_since < b.t + s.step)",
                "failed", "(SELECT count(*) FROM dead_letter WHERE stage = 'catalog' AND recorded_at >= b.t"
                        + " AND recorded_at < b.t + s.step)"));
    }

    /** name, sql, name, sql, ... in the order the page shows them (received, processed, failed). */
    private static Map<String, String> ordered(String... nameThenSql) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSql.length; i += 2) {
            m.put(nameThenSql[i], nameThenSql[i + 1]);
        }
        return m;
    }

    @Inject
    AgroalDataSource ds;

    /** Counts per stage, series and bucket: times (bucket starts) and stage -> series -> counts. */
    public record Rates(List<Instant> times, Map<String, Map<String, List<Long>>> stages) {
    }

    /** One import as ingest last announced it. */
    public record ImportRow(String importId, String layout, String state, long sequence, long filesTotal,
            long filesSeen, long accepted, long duplicates, long conflicts, long rejected, long failed, long skipped,
            Map<String, Long> rejectedByReason, long bytes, Instant startedAt, Instant updatedAt, Instant finishedAt) {
    }

    public Rates rates(Duration window, Duration step) {
        StringBuilder sql = new StringBuilder("WITH s AS (SELECT make_interval(secs => ?) AS step),"
                + " b AS (SELECT generate_series(to_timestamp(floor(extract(epoch FROM now() - make_interval(secs => ?)) / ?) * ?),"
                + " now(), (SELECT step FROM s)) AS t) SELECT b.t");
        List<String[]> columns = new ArrayList<>();
        SERIES.forEach((stage, series) -> series.forEach((name, count) -> {
            sql.append(", ").append(count);
            columns.add(new String[] {stage, name});
        }));
        sql.append(" FROM b, s ORDER BY b.t");
        List<Instant> times = new ArrayList<>();
        Map<String, Map<String, List<Long>>> stages = new LinkedHashMap<>();
        columns.forEach(c -> stages.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(c[1], new ArrayList<>()));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            long stepSecs = step.toSeconds();
            ps.setLong(1, stepSecs);
            ps.setLong(2, window.toSeconds());
            ps.setLong(3, stepSecs);
            ps.setLong(4, stepSecs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getTimestamp(1).toInstant());
                    for (int i = 0; i < columns.size(); i++) {
                        stages.get(columns.get(i)[0]).get(columns.get(i)[1]).add(rs.getLong(i + 2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read stage rates: " + e.getMessage(), e);
        }
        return new Rates(times, stages);
    }

    public List<ImportRow> imports(int limit) {
        List<ImportRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT import_id, layout,"
                + " state, sequence, files_total, files_seen, accepted, duplicates, conflicts, rejected, failed, skipped,"
                + " rejected_by_reason::text, bytes, started_at, updated_at, finished_at FROM import_progress"
                + " ORDER BY (state = 'RUNNING') DESC, started_at DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ImportRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getLong(11), rs.getLong(12), EventJson.mapper().readValue(rs.getString(13),
                                    new TypeReference<Map<String, Long>>() { }),
                            rs.getLong(14), instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)),
                            instant(rs.getTimestamp(17))));
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("cannot read imports: " + e.getMessage(), e);
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
