package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.cxr.catalog.domain.query.FilterIndex;
import org.cxr.catalog.domain.query.StudyLabelValue;
import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.state.ImageStatus;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.events.StudyState;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the in-memory {@link FilterIndex} equal to the catalog: before a query it reads, in one
 * repeatable-read snapshot, the studies whose change_seq is above what the index has (with their
 * labels and image views/statuses) and applies them. Nothing changed: two index lookups. A new
 * catalog epoch (the database was emptied) reloads everything. Works the same with several
 * service instances, since it only reads the database.
 */
@ApplicationScoped
public class QueryIndexFeed {
    private static final Logger LOG = Logger.getLogger(QueryIndexFeed.class);
    private static final int CHUNK = 10_000;
    private static final String STUDIES;
    private static final String IMAGES = "SELECT i.study_id, i.view_position, i.status FROM image i"
            + " JOIN study s ON s.study_id = i.study_id WHERE s.change_seq > ? AND s.change_seq <= ?"
            + " ORDER BY i.study_id, i.dicom_id";

    static {
        StringBuilder cols = new StringBuilder();
        for (String c : StudyLabelEntity.COLUMNS) {
            cols.append(", c.").append(c);
        }
        for (String c : StudyLabelEntity.COLUMNS) {
            cols.append(", n.").append(c);
        }
        STUDIES = "SELECT s.study_id, s.subject_id, s.state, s.split, s.study_date, s.labelled, s.images_known,"
                + " s.images_converted, s.images_failed, c.study_id IS NOT NULL AS has_c, n.study_id IS NOT NULL AS has_n"
                + cols + ", s.failure_reason FROM study s"
                + " LEFT JOIN study_label c ON c.study_id = s.study_id AND c.labeler = 'chexpert'"
                + " LEFT JOIN study_label n ON n.study_id = s.study_id AND n.labeler = 'negbio'"
                + " WHERE s.change_seq > ? AND s.change_seq <= ? ORDER BY s.study_id";
    }

    /** Changes made by other service instances are seen after at most this long. */
    static final long MAX_STALENESS_NANOS = 100_000_000L;
    private static final String HEAD = "SELECT (SELECT meta_value FROM catalog_meta WHERE meta_key = 'epoch'),"
            + " (SELECT coalesce(max(change_seq), 0) FROM study)";

    @Inject
    AgroalDataSource dataSource;

    private final FilterIndex index = new FilterIndex();
    private final ReentrantLock refreshing = new ReentrantLock();
    /** Set when this instance changed the catalog: the next query reads the changes. */
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private volatile long checkedAt;

    void onStart(@Observes StartupEvent ev) {
        Thread warm = new Thread(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warnf("query index not loaded at start-up (%s); it will be at the first query", e.getMessage());
            }
        }, "catalog-query-index-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    /** This instance wrote to the catalog (indexing, pins): the next query must see it. */
    public void markDirty() {
        dirty.set(true);
    }

    void onCommitted(@Observes CatalogCommitted ev) {
        markDirty();
    }

    /**
     * The index, brought up to date with the database first: always after a write by this
     * instance, otherwise at most {@link #MAX_STALENESS_NANOS} after another instance's write.
     */
    public FilterIndex current() {
        if (dirty.get() || System.nanoTime() - checkedAt > MAX_STALENESS_NANOS) {
            refresh();
        }
        return index;
    }

    public void refresh() {
        refreshing.lock();
        try (Connection c = dataSource.getConnection()) {
            dirty.set(false);
            checkedAt = System.nanoTime();
            // nothing changed (the usual case): one statement, no transaction set-up
            String epoch;
            long to;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(HEAD)) {
                rs.next();
                epoch = rs.getString(1) == null ? "none" : rs.getString(1);
                to = rs.getLong(2);
            }
            if (epoch.equals(index.epoch()) && to == index.highSeq()) {
                return;
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                load(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            dirty.set(true);
            throw new IllegalStateException("cannot read the catalog: " + e.getMessage(), e);
        } finally {
            refreshing.unlock();
        }
    }

    private void load(Connection c) throws SQLException {
        String epoch;
        long to;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(HEAD)) {
            rs.next();
            epoch = rs.getString(1) == null ? "none" : rs.getString(1);
            to = rs.getLong(2);
        }
        if (!epoch.equals(index.epoch()) || to < index.highSeq()) {
            index.reset(epoch);
        }
        long from = index.highSeq();
        if (to <= from) {
            return;
        }
        long t0 = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL work_mem = '64MB'");
        }
        int loaded = 0;
        try (PreparedStatement ps = c.prepareStatement(STUDIES); PreparedStatement pi = c.prepareStatement(IMAGES)) {
            ps.setFetchSize(CHUNK);
            ps.setLong(1, from);
            ps.setLong(2, to);
            pi.setFetchSize(CHUNK);
            pi.setLong(1, from);
            pi.setLong(2, to);
            try (ResultSet rs = ps.executeQuery(); ResultSet ri = pi.executeQuery()) {
                boolean imageRow = ri.next();
                List<FilterIndex.StudyRow> chunk = new ArrayList<>(Math.min(CHUNK, 1024));
                while (rs.next()) {
                    int studyId = rs.getInt(1);
                    List<FilterIndex.ImageRow> images = new ArrayList<>(2);
                    while (imageRow && ri.getInt(1) < studyId) {
                        imageRow = ri.next();
                    }
                    while (imageRow && ri.getInt(1) == studyId) {
                        images.add(new FilterIndex.ImageRow(ri.getString(2), ImageStatus.valueOf(ri.getString(3))));
                        imageRow = ri.next();
                    }
                    String split = rs.getString(4);
                    Date date = rs.getDate(5);
                    chunk.add(new FilterIndex.StudyRow(studyId, rs.getInt(2), StudyState.valueOf(rs.getString(3)),
                            split == null ? null : Split.of(split), date == null ? null : date.toLocalDate(),
                            rs.getBoolean(6), rs.getInt(7), rs.getInt(8), rs.getInt(9),
                            rs.getBoolean(10) ? labels(rs, 12) : null, rs.getBoolean(11) ? labels(rs, 26) : null, images,
                            rs.getString(40)));
                    if (chunk.size() == CHUNK) {
                        index.apply(chunk, from);
                        loaded += chunk.size();
                        chunk = new ArrayList<>(CHUNK);
                    }
                }
                index.apply(chunk, to);
                loaded += chunk.size();
            }
        }
        if (loaded > 1000) {
            LOG.infof("query index: loaded %d studies (change_seq %d..%d) in %d ms", loaded, from, to,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static StudyLabelValue[] labels(ResultSet rs, int first) throws SQLException {
        StudyLabelValue[] v = new StudyLabelValue[StudyLabelEntity.COLUMNS.length];
        for (int i = 0; i < v.length; i++) {
            short s = rs.getShort(first + i);
            v[i] = rs.wasNull() ? StudyLabelValue.EMPTY : StudyLabelValue.of(s);
        }
        return v;
    }
}
