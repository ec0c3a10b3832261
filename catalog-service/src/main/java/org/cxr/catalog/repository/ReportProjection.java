package org.cxr.catalog.repository;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cxr.catalog.domain.report.LabellingFact;
import org.cxr.catalog.domain.report.ReportResolver;
import org.cxr.catalog.domain.report.ReportView;
import org.cxr.catalog.domain.report.RevisionFact;
import org.cxr.catalog.domain.report.ShownReport;
import org.cxr.catalog.repository.entity.StudyLabelEntity;
import org.cxr.events.ReportSection;

/**
 * Re-derives the {@code report} and {@code study_label} rows of studies from all their report
 * facts ({@link ReportResolver}, {@link ShownReport}): one read per fact table, one write per
 * derived table.
 */
final class ReportProjection {
    private static final List<String> LABELERS = List.of("chexpert", "negbio");

    private record LabelRow(int studyId, String labeler, Short[] values, String labelerVersion, String reportSha256) {
    }

    private record StudyLabeler(int studyId, String labeler) {
    }

    private final JdbcArrays db;
    private final String now;

    ReportProjection(JdbcArrays db, String now) {
        this.db = db;
        this.now = now;
    }

    void project(Set<Integer> studies) throws SQLException {
        Map<Integer, List<RevisionFact>> revisions = new HashMap<>();
        Map<Integer, List<LabellingFact>> labellings = new HashMap<>();
        Array ids = db.ints(studies);
        try (PreparedStatement ps = db.connection().prepareStatement(IndexingSql.LOAD_REVISIONS)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    revisions.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new RevisionFact(
                            rs.getString(2), (Integer) rs.getObject(3), rs.getString(4), instant(rs.getTimestamp(5)),
                            rs.getString(6), rs.getString(7)));
                }
            }
        }
        try (PreparedStatement ps = db.connection().prepareStatement(IndexingSql.LOAD_LABELLINGS)) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labellings.computeIfAbsent(rs.getInt(1), x -> new ArrayList<>()).add(new LabellingFact(
                            rs.getString(2), rs.getString(3), rs.getString(4), ReportSection.valueOf(rs.getString(5)),
                            rs.getString(6), JdbcArrays.shorts(rs.getArray(7)), JdbcArrays.shorts(rs.getArray(8)),
                            instant(rs.getTimestamp(9))));
                }
            }
        }
        List<Integer> order = new ArrayList<>(studies);
        List<ShownReport> reports = new ArrayList<>();
        List<LabelRow> upserts = new ArrayList<>();
        List<StudyLabeler> deletes = new ArrayList<>();
        for (Integer s : order) {
            ReportView v = ReportResolver.resolve(revisions.getOrDefault(s, List.of()), labellings.getOrDefault(s, List.of()));
            reports.add(ShownReport.of(v));
            LabellingFact current = v.current();
            for (String labeler : LABELERS) {
                Short[] values = !v.hasLabelRows() ? null : labeler.equals("chexpert") ? current.chexpert() : current.negbio();
                if (values == null) {
                    deletes.add(new StudyLabeler(s, labeler));
                } else {
                    upserts.add(new LabelRow(s, labeler, values, current.labelerVersion(), current.reportSha256()));
                }
            }
        }
        writeReports(order, reports);
        if (!upserts.isEmpty()) {
            writeLabels(upserts);
        }
        if (!deletes.isEmpty()) {
            db.update(IndexingSql.DELETE_LABEL, db.int4(deletes, StudyLabeler::studyId),
                    db.text(deletes, StudyLabeler::labeler));
        }
    }

    private void writeReports(List<Integer> studies, List<ShownReport> rows) throws SQLException {
        db.update(IndexingSql.UPSERT_REPORT, now, db.ints(studies), db.text(rows, r -> r.status().name()),
                db.text(rows, ShownReport::reportKey), db.text(rows, ShownReport::reportSha256),
                db.int4(rows, ShownReport::revision),
                db.text(rows, r -> r.labelling() == null ? null : r.labelling().section().name()),
                db.text(rows, r -> r.labelling() == null ? null : r.labelling().sectionText()),
                db.text(rows, r -> r.labelling() == null ? null : r.labelling().labelerVersion()),
                db.text(rows, r -> r.labelling() == null ? null : r.labelling().labelledAt().toString()),
                db.text(rows, ShownReport::failureReason), db.text(rows, ShownReport::failureMessage));
    }

    private void writeLabels(List<LabelRow> rows) throws SQLException {
        Object[] params = new Object[2 + StudyLabelEntity.COLUMNS.length + 2];
        params[0] = db.int4(rows, LabelRow::studyId);
        params[1] = db.text(rows, LabelRow::labeler);
        for (int i = 0; i < StudyLabelEntity.COLUMNS.length; i++) {
            int k = i;
            params[2 + i] = db.int2(rows, r -> r.values()[k]);
        }
        params[params.length - 2] = db.text(rows, LabelRow::labelerVersion);
        params[params.length - 1] = db.text(rows, LabelRow::reportSha256);
        db.update(IndexingSql.UPSERT_LABEL, params);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
