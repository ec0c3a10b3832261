package org.cxr.catalog.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cxr.catalog.domain.report.ReportStatus;
import org.cxr.catalog.domain.state.StudyAnnouncement;
import org.cxr.catalog.domain.state.StudyDerivation;
import org.cxr.catalog.domain.state.StudyStateRule;
import org.cxr.events.StudyIndexed;
import org.cxr.events.StudyState;

/**
 * Re-derives the {@code study} rows of studies from their image rows, report row and subject
 * split ({@link StudyStateRule}, {@link StudyDerivation}), gives each a new change_seq, and
 * returns the StudyIndexed events of those whose announcement changed ({@link StudyAnnouncement}).
 */
final class StudyProjection {
    private record Derived(int studyId, int subjectId, StudyAnnouncement announcement, boolean reportReceived,
            boolean reportFailed, LocalDate date, String[] views, String failureReason, boolean announce) {
    }

    private final JdbcArrays db;
    private final Instant now;

    StudyProjection(JdbcArrays db, Instant now) {
        this.db = db;
        this.now = now;
    }

    List<StudyIndexed> project(Set<Integer> studies) throws SQLException {
        List<Derived> rows = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(IndexingSql.LOAD_STUDIES)) {
            ps.setArray(1, db.ints(studies));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(derive(rs));
                }
            }
        }
        if (!rows.isEmpty()) {
            String time = now.toString();
            db.update(IndexingSql.UPDATE_STUDY, time, time,
                    db.int4(rows, Derived::studyId), db.text(rows, d -> d.announcement().state().name()),
                    db.int4(rows, d -> d.announcement().imagesKnown()),
                    db.int4(rows, d -> d.announcement().imagesConverted()),
                    db.int4(rows, d -> d.announcement().imagesFailed()), db.bool(rows, Derived::reportReceived),
                    db.bool(rows, d -> d.announcement().labelled()), db.bool(rows, Derived::reportFailed),
                    db.text(rows, d -> d.date() == null ? null : d.date().toString()),
                    db.text(rows, d -> JdbcArrays.literal(d.views())), db.text(rows, d -> d.announcement().split()),
                    db.text(rows, Derived::failureReason));
        }
        List<StudyIndexed> events = new ArrayList<>();
        for (Derived d : rows) {
            if (d.announce()) {
                StudyAnnouncement a = d.announcement();
                events.add(new StudyIndexed(StudyIndexed.SCHEMA_VERSION, Integer.toString(d.subjectId()),
                        Integer.toString(d.studyId()), a.state(), a.imagesKnown(), a.imagesConverted(), a.imagesFailed(),
                        a.labelled(), a.split(), now));
            }
        }
        return events;
    }

    private static Derived derive(ResultSet rs) throws SQLException {
        int known = rs.getInt("known");
        int converted = rs.getInt("converted");
        int failed = rs.getInt("failed");
        String reportStatus = rs.getString("report_status");
        boolean labelled = ReportStatus.LABELLED.name().equals(reportStatus);
        boolean reportFailed = ReportStatus.FAILED.name().equals(reportStatus);
        StudyState state = StudyStateRule.derive(known, converted, failed, labelled, reportFailed);
        StudyAnnouncement now = new StudyAnnouncement(state, known, converted, failed, labelled,
                rs.getString("subject_split"));
        StudyAnnouncement before = rs.getLong("change_seq") == 0 ? null
                : new StudyAnnouncement(StudyState.valueOf(rs.getString("state")), rs.getInt("images_known"),
                        rs.getInt("images_converted"), rs.getInt("images_failed"), rs.getBoolean("labelled"),
                        rs.getString("split"));
        String failureReason = StudyDerivation.failureReason(state, reportFailed, labelled,
                rs.getString("report_failure"), JdbcArrays.strings(rs.getArray("image_failures")));
        return new Derived(rs.getInt("study_id"), rs.getInt("subject_id"), now, rs.getBoolean("report_received"),
                reportFailed, StudyDerivation.studyDate(JdbcArrays.strings(rs.getArray("dates"))),
                StudyDerivation.viewPositions(JdbcArrays.strings(rs.getArray("views"))), failureReason,
                now.differsFrom(before));
    }
}
