package org.cxr.catalog.repository;

import static org.cxr.catalog.domain.indexing.FactOrder.micros;
import static org.cxr.catalog.domain.indexing.FactOrder.winners;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.cxr.catalog.domain.indexing.Fact;
import org.cxr.catalog.domain.indexing.FactOrder;
import org.cxr.catalog.domain.split.SplitRule;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.EventJson;
import org.cxr.events.LabelVector;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;

/**
 * Writes the facts of a batch: subjects (with their split on first sight) and study stubs, then
 * one multi-row upsert per kind of fact. Each upsert writes a row only when the incoming fact wins
 * its {@link FactOrder}, and returns the studies whose facts changed.
 */
final class FactUpserts {
    /** The studies whose facts changed, and among them those whose report facts changed. */
    record Changes(Set<Integer> studies, Set<Integer> reports) {
    }

    private final JdbcArrays db;
    private final SplitRule splits;
    private final String now;

    FactUpserts(JdbcArrays db, SplitRule splits, String now) {
        this.db = db;
        this.splits = splits;
        this.now = now;
    }

    Changes upsert(List<Fact> facts) throws SQLException {
        Changes changes = new Changes(new TreeSet<>(), new TreeSet<>());
        if (facts.isEmpty()) {
            return changes;
        }
        changes.studies().addAll(subjectsAndStudies(facts));
        List<InstanceReceived> received = new ArrayList<>();
        List<InstanceConverted> converted = new ArrayList<>();
        List<Fact.ImageFailed> imageFailed = new ArrayList<>();
        List<ReportReceived> reports = new ArrayList<>();
        List<Fact.ReportFailed> reportFailed = new ArrayList<>();
        List<ReportLabelled> labelled = new ArrayList<>();
        for (Fact f : facts) {
            if (f instanceof Fact.ImageReceived r) {
                received.add(r.event());
            } else if (f instanceof Fact.ImageConverted r) {
                converted.add(r.event());
            } else if (f instanceof Fact.ImageFailed r) {
                imageFailed.add(r.normalised());
            } else if (f instanceof Fact.ReportRevisionReceived r) {
                reports.add(r.event());
            } else if (f instanceof Fact.ReportFailed r) {
                reportFailed.add(r.normalised());
            } else if (f instanceof Fact.ReportLabelledFact r) {
                labelled.add(r.event());
            }
        }
        if (!received.isEmpty()) {
            changes.studies().addAll(imagesReceived(winners(received, InstanceReceived::dicomId, FactOrder.RECEIVED)));
        }
        if (!converted.isEmpty()) {
            changes.studies().addAll(imagesConverted(winners(converted, InstanceConverted::dicomId, FactOrder.CONVERTED)));
        }
        if (!imageFailed.isEmpty()) {
            changes.studies().addAll(imagesFailed(winners(imageFailed, Fact.ImageFailed::dicomId, FactOrder.IMAGE_FAILED)));
        }
        if (!reports.isEmpty()) {
            reportChanged(changes, reportsReceived(winners(reports, e -> e.studyId() + ":" + e.sha256(),
                    FactOrder.REPORT_RECEIVED)));
        }
        if (!reportFailed.isEmpty()) {
            reportChanged(changes, reportsFailed(winners(reportFailed, e -> e.studyId() + ":" + e.reportSha256(),
                    FactOrder.REPORT_FAILED)));
        }
        if (!labelled.isEmpty()) {
            reportChanged(changes, labellings(winners(labelled,
                    e -> e.studyId() + ":" + e.reportSha256() + ":" + e.labelerVersion(), FactOrder.LABELLED)));
        }
        return changes;
    }

    private static void reportChanged(Changes changes, List<Integer> studies) {
        changes.studies().addAll(studies);
        changes.reports().addAll(studies);
    }

    /** Subjects, their split on first sight (never changed afterwards), and a stub of every new study. */
    private List<Integer> subjectsAndStudies(List<Fact> facts) throws SQLException {
        Map<Integer, Integer> studySubjects = new TreeMap<>();
        Set<Integer> subjects = new TreeSet<>();
        for (Fact f : facts) {
            int subject = Integer.parseInt(f.subjectId());
            subjects.add(subject);
            studySubjects.putIfAbsent(Integer.parseInt(f.studyId()), subject);
        }
        Integer[] subjectIds = subjects.toArray(Integer[]::new);
        String[] assigned = new String[subjectIds.length];
        for (int i = 0; i < subjectIds.length; i++) {
            assigned[i] = splits.assign(Integer.toString(subjectIds[i])).value();
        }
        db.update(IndexingSql.SUBJECT, now, db.array("int4", subjectIds));
        db.update(IndexingSql.SPLIT, splits.rule(), now, db.array("int4", subjectIds), db.array("text", assigned));
        return db.returningStudies(IndexingSql.STUDY_STUB, now, now,
                db.array("int4", studySubjects.keySet().toArray(Integer[]::new)),
                db.array("int4", studySubjects.values().toArray(Integer[]::new)));
    }

    private List<Integer> imagesReceived(List<InstanceReceived> rows) throws SQLException {
        return db.returningStudies(IndexingSql.IMAGE_RECEIVED, now,
                db.text(rows, InstanceReceived::dicomId), db.int4(rows, e -> Integer.parseInt(e.studyId())),
                db.int4(rows, e -> Integer.parseInt(e.subjectId())), db.text(rows, InstanceReceived::bucket),
                db.text(rows, InstanceReceived::objectKey), db.text(rows, InstanceReceived::sha256),
                db.int8(rows, InstanceReceived::sizeBytes), db.text(rows, InstanceReceived::transferSyntaxUid),
                db.text(rows, InstanceReceived::sopClassUid),
                db.text(rows, e -> e.source() == null ? null : e.source().name()),
                db.text(rows, e -> micros(e.receivedAt()).toString()));
    }

    private List<Integer> imagesConverted(List<InstanceConverted> rows) throws SQLException {
        return db.returningStudies(IndexingSql.IMAGE_CONVERTED, now,
                db.text(rows, InstanceConverted::dicomId), db.int4(rows, e -> Integer.parseInt(e.studyId())),
                db.int4(rows, e -> Integer.parseInt(e.subjectId())), db.text(rows, InstanceConverted::bucket),
                db.text(rows, InstanceConverted::jpgKey), db.int8(rows, InstanceConverted::jpgBytes),
                db.text(rows, InstanceConverted::sourceSha256), db.bool(rows, InstanceConverted::constantImage),
                db.text(rows, InstanceConverted::converterVersion),
                db.text(rows, e -> micros(e.convertedAt()).toString()),
                db.text(rows, e -> e.metadata().performedProcedureStepDescription()),
                db.text(rows, e -> e.metadata().viewPosition()), db.int4(rows, e -> e.metadata().rows()),
                db.int4(rows, e -> e.metadata().columns()), db.text(rows, e -> e.metadata().studyDate()),
                db.text(rows, e -> e.metadata().studyTime()),
                db.text(rows, e -> e.metadata().procedureCodeSequenceCodeMeaning()),
                db.text(rows, e -> e.metadata().viewCodeSequenceCodeMeaning()),
                db.text(rows, e -> e.metadata().patientOrientationCodeSequenceCodeMeaning()));
    }

    private List<Integer> imagesFailed(List<Fact.ImageFailed> rows) throws SQLException {
        return db.returningStudies(IndexingSql.IMAGE_FAILED, now,
                db.text(rows, Fact.ImageFailed::dicomId), db.int4(rows, e -> Integer.parseInt(e.studyId())),
                db.int4(rows, e -> Integer.parseInt(e.subjectId())), db.text(rows, Fact.ImageFailed::reason),
                db.text(rows, Fact.ImageFailed::message), db.text(rows, e -> micros(e.failedAt()).toString()));
    }

    private List<Integer> reportsReceived(List<ReportReceived> rows) throws SQLException {
        return db.returningStudies(IndexingSql.REPORT_RECEIVED,
                db.int4(rows, e -> Integer.parseInt(e.studyId())), db.text(rows, ReportReceived::sha256),
                db.int4(rows, ReportReceived::revision), db.text(rows, ReportReceived::bucket),
                db.text(rows, ReportReceived::objectKey), db.int8(rows, ReportReceived::sizeBytes),
                db.text(rows, e -> e.source() == null ? null : e.source().name()),
                db.text(rows, e -> micros(e.receivedAt()).toString()));
    }

    private List<Integer> reportsFailed(List<Fact.ReportFailed> rows) throws SQLException {
        return db.returningStudies(IndexingSql.REPORT_FAILED,
                db.int4(rows, e -> Integer.parseInt(e.studyId())), db.text(rows, Fact.ReportFailed::reportSha256),
                db.text(rows, Fact.ReportFailed::reason), db.text(rows, Fact.ReportFailed::message),
                db.text(rows, e -> micros(e.failedAt()).toString()));
    }

    private List<Integer> labellings(List<ReportLabelled> rows) throws SQLException {
        return db.returningStudies(IndexingSql.REPORT_LABELLED,
                db.int4(rows, e -> Integer.parseInt(e.studyId())), db.text(rows, ReportLabelled::reportSha256),
                db.text(rows, ReportLabelled::labelerVersion), db.text(rows, ReportLabelled::reportKey),
                db.text(rows, e -> e.section().name()), db.text(rows, ReportLabelled::sectionText),
                db.text(rows, e -> labels(e.section(), e.chexpert())), db.text(rows, e -> labels(e.section(), e.negbio())),
                db.text(rows, e -> micros(e.labelledAt()).toString()),
                db.text(rows, e -> e.mentions() == null ? null : EventJson.mapper().valueToTree(e.mentions()).toString()));
    }

    /** A label vector as a {@code smallint[]} literal in column order; null for section NONE. */
    private static String labels(ReportSection section, LabelVector v) {
        if (section == ReportSection.NONE || v == null) {
            return null;
        }
        Observation[] obs = Observation.values();
        Short[] out = new Short[obs.length];
        for (int i = 0; i < obs.length; i++) {
            Double d = v.get(obs[i]);
            out[i] = d == null ? null : (short) d.intValue();
        }
        return JdbcArrays.literal(out);
    }
}
