package org.cxr.catalog.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.cxr.catalog.domain.query.Labeler;
import org.cxr.catalog.domain.release.ImageRow;
import org.cxr.catalog.domain.release.LabelRow;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.domain.release.ReleaseSource;
import org.cxr.catalog.repository.entity.StudyLabelEntity;

import javax.sql.DataSource;

/**
 * Release rows straight from PostgreSQL: one read-only repeatable-read transaction per release
 * (every file sees the same catalog state), server-side cursors with a fetch size (rows stream,
 * memory does not grow with the catalog), ordered by subject_id, study_id, dicom_id (dicom_id has
 * the C collation: byte order, independent of the database locale).
 */
@ApplicationScoped
public class JdbcReleaseSource implements ReleaseSource {
    private static final int FETCH = 5000;

    @Inject
    DataSource dataSource;

    /** For use outside the service (e.g. a small-heap JVM proving that releases stream). */
    public static JdbcReleaseSource of(DataSource dataSource) {
        JdbcReleaseSource s = new JdbcReleaseSource();
        s.dataSource = dataSource;
        return s;
    }

    @Override
    public Snapshot open(ReleaseSelection selection) {
        try {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL work_mem = '128MB'");
                }
                long hwm;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT coalesce(max(change_seq), 0) FROM study")) {
                    rs.next();
                    hwm = rs.getLong(1);
                }
                return new JdbcSnapshot(c, selection, hwm);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a catalog snapshot: " + e.getMessage(), e);
        }
    }

    private static final class JdbcSnapshot implements Snapshot {
        private final Connection c;
        private final ReleaseSelection selection;
        private final long hwm;

        JdbcSnapshot(Connection c, ReleaseSelection selection, long hwm) {
            this.c = c;
            this.selection = selection;
            this.hwm = hwm;
        }

        @Override
        public long highWaterMark() {
            return hwm;
        }

        private String since() {
            return selection.incremental() ? " AND s.change_seq > ?" : "";
        }

        @Override
        public void images(RowHandler<ImageRow> handler) throws Exception {
            String sql = "SELECT i.dicom_id, s.subject_id, s.study_id, i.performed_procedure_step_description,"
                    + " i.view_position, i.image_rows, i.image_columns, i.study_date, i.study_time,"
                    + " i.procedure_code_meaning, i.view_code_meaning, i.patient_orientation_code_meaning, ss.split,"
                    + " i.converter_version, i.jpg_bucket, i.jpg_key"
                    + " FROM study s JOIN image i ON i.study_id = s.study_id"
                    + " JOIN subject_split ss ON ss.subject_id = s.subject_id"
                    + " WHERE s.state = 'COMPLETE' AND i.status = 'CONVERTED'" + since()
                    + " ORDER BY s.subject_id, s.study_id, i.dicom_id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH);
                if (selection.incremental()) {
                    ps.setLong(1, selection.sinceSeq());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.accept(new ImageRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), (Integer) rs.getObject(6), (Integer) rs.getObject(7), rs.getString(8),
                                rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                                rs.getString(14), rs.getString(15), rs.getString(16)));
                    }
                }
            }
        }

        @Override
        public void labels(Labeler labeler, RowHandler<LabelRow> handler) throws Exception {
            StringBuilder cols = new StringBuilder();
            for (String col : StudyLabelEntity.COLUMNS) {
                cols.append(", l.").append(col);
            }
            String sql = "SELECT s.subject_id, s.study_id" + cols + ", l.labeler_version"
                    + " FROM study s JOIN study_label l ON l.study_id = s.study_id AND l.labeler = ?"
                    + " WHERE s.state = 'COMPLETE'" + since() + " ORDER BY s.subject_id, s.study_id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH);
                ps.setString(1, labeler.value());
                if (selection.incremental()) {
                    ps.setLong(2, selection.sinceSeq());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int n = StudyLabelEntity.COLUMNS.length;
                    while (rs.next()) {
                        Short[] v = new Short[n];
                        for (int i = 0; i < n; i++) {
                            short s = rs.getShort(3 + i);
                            v[i] = rs.wasNull() ? null : s;
                        }
                        handler.accept(new LabelRow(rs.getInt(1), rs.getInt(2), v, rs.getString(3 + n)));
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                c.rollback();
            } catch (SQLException e) {
                // read-only: nothing to lose
            }
            try {
                c.close();
            } catch (SQLException e) {
                // pool reclaims it
            }
        }
    }
}
