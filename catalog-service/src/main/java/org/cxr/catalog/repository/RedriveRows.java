package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code redrive} table, in the caller's transaction (which holds the catalog write lock, so two
 * requests never pick the same dead letter): which dead letters a request selects, and the one row
 * per dead letter and request id that makes a repeated request send nothing twice.
 */
public final class RedriveRows {
    /** Dead letters of the stages that can be redriven, by id or by stage (and reason). */
    private static final String SELECT = "SELECT d.event_id, d.stage, d.reason, d.original_topic, d.original_event_id,"
            + " d.payload, d.attempts, d.study_id,"
            // redriven since it was (last) recorded: the stage's answer is pending or it succeeded
            + " EXISTS (SELECT 1 FROM redrive r WHERE r.event_id = d.event_id AND r.requested_at >= d.recorded_at)"
            + " FROM dead_letter d WHERE d.stage IN ('convert', 'label', 'catalog')"
            + " AND (d.event_id = ANY (?) OR (?::text IS NOT NULL AND d.stage = ? AND (?::text IS NULL OR d.reason = ?)))"
            + " ORDER BY d.recorded_at, d.event_id LIMIT ?";
    private static final String INSERT = "INSERT INTO redrive (event_id, request_id, topic, attempts, requested_by,"
            + " requested_at, sent_at) SELECT e, ?, t, a, ?, ?::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::text[], ?::int[]) AS x(e, t, a)"
            + " ON CONFLICT (event_id, request_id) DO NOTHING RETURNING event_id";

    /** A selected dead letter: payload is the DeadLetter as recorded; redriven = already redriven since it failed. */
    public record Selected(String eventId, String stage, String reason, String originalTopic, String originalEventId,
            String payload, Integer attempts, Integer studyId, boolean redriven) {
    }

    private final Connection c;

    public RedriveRows(Connection connection) {
        this.c = connection;
    }

    public List<Selected> select(List<String> eventIds, String stage, String reason, int limit) throws SQLException {
        List<Selected> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            ps.setString(2, stage);
            ps.setString(3, stage);
            ps.setString(4, reason);
            ps.setString(5, reason);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Selected(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), (Integer) rs.getObject(7), (Integer) rs.getObject(8),
                            rs.getBoolean(9)));
                }
            }
        }
        return out;
    }

    /**
     * Records the redrive of each dead letter (to topics.get(i), with attempts.get(i)); returns the
     * ids this request had not recorded yet, the only ones to send.
     */
    public List<String> record(List<String> eventIds, List<String> topics, List<Integer> attempts, String requestId,
            String requestedBy, Instant now) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, requestId);
            ps.setString(2, requestedBy);
            ps.setString(3, now.toString());
            ps.setString(4, now.toString());
            ps.setArray(5, c.createArrayOf("text", eventIds.toArray()));
            ps.setArray(6, c.createArrayOf("text", topics.toArray()));
            ps.setArray(7, c.createArrayOf("int4", attempts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
