package org.cxr.ingest.hl7;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.repository.IngestRepository.DatabaseUnavailable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Accession numbers as ingest keeps them (V10__accession.sql): keyed digests per study, and the
 * reports that wait for a study with their accession number. Plain JDBC on the service's data
 * source, like the rest of ingest; a database error is {@link DatabaseUnavailable}.
 */
@ApplicationScoped
public class Accessions {
    @Inject
    DataSource dataSource;
    @Inject
    Pseudonyms pseudonyms;

    /** (study, accession digest) pairs known to be stored: an instance of a known study costs nothing here. */
    private final Cache<String, Boolean> remembered = Caffeine.newBuilder().maximumSize(200_000).build();

    /** The study a report can be recorded for, with its subject's patient digest (null for MIMIC-tree subjects). */
    public record StudyRow(String studyId, String subjectId, int dateOffsetDays, String patientKey) {
    }

    /** A report waiting for its study. */
    public record Pending(long id, String accessionKey, String patientKeys, String text, String source) {
    }

    /** Records that {@code studyId} has instances with this accession number (its digest); blank numbers are ignored. */
    public void remember(String studyId, String accessionNumber) {
        if (accessionNumber == null || accessionNumber.isBlank()) {
            return;
        }
        String key = pseudonyms.accession(accessionNumber);
        String cacheKey = studyId + ':' + key;
        if (remembered.getIfPresent(cacheKey) != null) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> update(
                "insert into study_accession (accession_key, study_id) values (?, ?) on conflict do nothing", key, studyId));
        remembered.put(cacheKey, Boolean.TRUE); // committed
    }

    /** The studies whose instances carry this accession digest. */
    public List<String> studies(String accessionKey) {
        List<String> ids = new ArrayList<>();
        query("select study_id from study_accession where accession_key = ? order by study_id", rs -> ids.add(rs.getString(1)),
                accessionKey);
        return ids;
    }

    public Optional<StudyRow> study(String studyId) {
        List<StudyRow> rows = new ArrayList<>();
        query("select st.study_id, st.subject_id, s.date_offset_days, s.patient_key from study st"
                        + " join subject s on s.subject_id = st.subject_id where st.study_id = ?",
                rs -> rows.add(new StudyRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4))), studyId);
        return rows.stream().findFirst();
    }

    public void addPending(String accessionKey, String patientKeys, String text, String source, Instant receivedAt,
                           Instant expiresAt) {
        QuarkusTransaction.requiringNew().run(() -> update("insert into pending_report (accession_key, patient_keys,"
                        + " report_text, source, received_at, expires_at) values (?, ?, ?, ?, ?, ?)", accessionKey, patientKeys,
                text, source, Timestamp.from(receivedAt), Timestamp.from(expiresAt)));
    }

    /** Waiting reports whose accession number now has a study, oldest first. */
    public List<Pending> resolvable(int limit) {
        return pending("where exists (select 1 from study_accession a where a.accession_key = p.accession_key)"
                + " order by p.id limit ?", limit);
    }

    /**
     * Claims a waiting report for the caller's transaction: its row, locked until that transaction
     * ends. Empty when another resolver (another replica) holds it or has removed it — SKIP LOCKED: the
     * other resolver moves on instead of waiting to record the same report again — and while an older
     * report with the same accession number still waits (reports are recorded in arrival order).
     */
    public Optional<Pending> claim(long id) {
        return pending("where p.id = ? and not exists (select 1 from pending_report q where q.accession_key = p.accession_key"
                + " and q.id < p.id) for update skip locked", id).stream().findFirst();
    }

    /** The waiting reports {@code p} that the rest of the statement selects. */
    private List<Pending> pending(String where, Object param) {
        List<Pending> rows = new ArrayList<>();
        query("select p.id, p.accession_key, p.patient_keys, p.report_text, p.source from pending_report p " + where,
                rs -> rows.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))),
                param);
        return rows;
    }

    /** Removes a claimed report, in the transaction that claimed it. */
    public void removePending(long id) {
        update("delete from pending_report where id = ?", id);
    }

    /** Drops the reports that waited too long (but those another resolver holds); returns the source of each. */
    public List<String> expire(Instant now) {
        List<String> sources = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> query("delete from pending_report where id in (select id from"
                        + " pending_report where expires_at < ? for update skip locked) returning source",
                rs -> sources.add(rs.getString(1)), Timestamp.from(now)));
        return sources;
    }

    public long pendingCount() {
        long[] n = new long[1];
        query("select count(*) from pending_report", rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    @FunctionalInterface
    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = statement(c, sql, params);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                row.read(rs);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailable("database: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = statement(c, sql, params)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseUnavailable("database: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement statement(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
