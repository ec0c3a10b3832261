package org.cxr.catalog.repository;

import org.cxr.catalog.repository.entity.StudyLabelEntity;

/**
 * The statements of indexing: multi-row fact upserts ({@code INSERT ... SELECT FROM unnest(...)
 * ON CONFLICT ... RETURNING study_id}), and the reads and writes that re-derive a study's report,
 * labels and study row from its facts.
 */
final class IndexingSql {
    static final String SUBJECT = "INSERT INTO subject (subject_id, first_seen_at)"
            + " SELECT s, ?::timestamptz FROM unnest(?::int[]) AS t(s) ON CONFLICT DO NOTHING";
    static final String SPLIT = "INSERT INTO subject_split (subject_id, split, method, split_rule, assigned_at)"
            + " SELECT s, sp, 'ASSIGNED', ?, ?::timestamptz FROM unnest(?::int[], ?::text[]) AS t(s, sp) ON CONFLICT DO NOTHING";
    static final String STUDY_STUB = "INSERT INTO study (study_id, subject_id, state, change_seq, state_since, updated_at)"
            + " SELECT st, su, 'RECEIVED', 0, ?::timestamptz, ?::timestamptz FROM unnest(?::int[], ?::int[]) AS t(st, su)"
            + " ON CONFLICT DO NOTHING RETURNING study_id";
    // Each fact upsert writes only when the incoming fact wins the fact's total order (text compared
    // in the C collation, as Java compares strings when it picks the winner among duplicates of a batch).
    static final String IMAGE_RECEIVED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, dicom_bucket, dicom_key,"
            + " dicom_sha256, dicom_bytes, transfer_syntax_uid, sop_class_uid, source, received_at, updated_at)"
            + " SELECT d, st, su, b, k, h, n, ts, sop, src, at::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[]) AS t(d, st, su, b, k, h, n, ts, sop, src, at)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET dicom_bucket = EXCLUDED.dicom_bucket, dicom_key = EXCLUDED.dicom_key,"
            + " dicom_sha256 = EXCLUDED.dicom_sha256, dicom_bytes = EXCLUDED.dicom_bytes,"
            + " transfer_syntax_uid = EXCLUDED.transfer_syntax_uid, sop_class_uid = EXCLUDED.sop_class_uid,"
            + " source = EXCLUDED.source, received_at = EXCLUDED.received_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.received_at IS NULL OR (EXCLUDED.received_at, EXCLUDED.dicom_sha256 COLLATE \"C\")"
            + " > (i.received_at, i.dicom_sha256 COLLATE \"C\")"
            + " RETURNING i.study_id";
    static final String IMAGE_CONVERTED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, jpg_bucket, jpg_key,"
            + " jpg_bytes, source_sha256, constant_image, converter_version, converted_at,"
            + " performed_procedure_step_description, view_position, image_rows, image_columns, study_date, study_time,"
            + " procedure_code_meaning, view_code_meaning, patient_orientation_code_meaning, updated_at)"
            + " SELECT d, st, su, b, k, n, h, ci, v, at::timestamptz, pp, vp, r, c, sd, stm, pc, vc, po, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::bool[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS t(d, st, su, b, k, n, h, ci, v, at, pp, vp, r, c, sd, stm, pc, vc, po)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET jpg_bucket = EXCLUDED.jpg_bucket, jpg_key = EXCLUDED.jpg_key,"
            + " jpg_bytes = EXCLUDED.jpg_bytes, source_sha256 = EXCLUDED.source_sha256,"
            + " constant_image = EXCLUDED.constant_image, converter_version = EXCLUDED.converter_version,"
            + " converted_at = EXCLUDED.converted_at,"
            + " performed_procedure_step_description = EXCLUDED.performed_procedure_step_description,"
            + " view_position = EXCLUDED.view_position, image_rows = EXCLUDED.image_rows,"
            + " image_columns = EXCLUDED.image_columns, study_date = EXCLUDED.study_date,"
            + " study_time = EXCLUDED.study_time, procedure_code_meaning = EXCLUDED.procedure_code_meaning,"
            + " view_code_meaning = EXCLUDED.view_code_meaning,"
            + " patient_orientation_code_meaning = EXCLUDED.patient_orientation_code_meaning,"
            + " updated_at = EXCLUDED.updated_at"
            + " WHERE i.converted_at IS NULL OR (EXCLUDED.converted_at, EXCLUDED.converter_version COLLATE \"C\","
            + " EXCLUDED.source_sha256 COLLATE \"C\", EXCLUDED.jpg_key COLLATE \"C\") > (i.converted_at,"
            + " i.converter_version COLLATE \"C\", i.source_sha256 COLLATE \"C\", i.jpg_key COLLATE \"C\")"
            + " RETURNING i.study_id";
    static final String IMAGE_FAILED = "INSERT INTO image AS i (dicom_id, study_id, subject_id, failure_reason,"
            + " failure_message, failed_at, updated_at)"
            + " SELECT d, st, su, r, m, at::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[]) AS t(d, st, su, r, m, at)"
            + " ON CONFLICT (dicom_id) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at, updated_at = EXCLUDED.updated_at"
            + " WHERE i.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason COLLATE \"C\","
            + " EXCLUDED.failure_message COLLATE \"C\") > (i.failed_at, i.failure_reason COLLATE \"C\","
            + " i.failure_message COLLATE \"C\")"
            + " RETURNING i.study_id";
    static final String REPORT_RECEIVED = "INSERT INTO report_revision AS r (study_id, sha256, revision, report_bucket,"
            + " report_key, size_bytes, source, received_at)"
            + " SELECT st, h, rv, b, k, n, src, at::timestamptz"
            + " FROM unnest(?::int[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[])"
            + " AS t(st, h, rv, b, k, n, src, at)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET revision = EXCLUDED.revision,"
            + " report_bucket = EXCLUDED.report_bucket, report_key = EXCLUDED.report_key,"
            + " size_bytes = EXCLUDED.size_bytes, source = EXCLUDED.source, received_at = EXCLUDED.received_at"
            + " WHERE r.revision IS NULL OR (EXCLUDED.revision, EXCLUDED.received_at) > (r.revision, r.received_at)"
            + " RETURNING r.study_id";
    static final String REPORT_FAILED = "INSERT INTO report_revision AS r (study_id, sha256, failure_reason,"
            + " failure_message, failed_at)"
            + " SELECT st, h, rs, m, at::timestamptz FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS t(st, h, rs, m, at)"
            + " ON CONFLICT (study_id, sha256) DO UPDATE SET failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, failed_at = EXCLUDED.failed_at"
            + " WHERE r.failed_at IS NULL OR (EXCLUDED.failed_at, EXCLUDED.failure_reason COLLATE \"C\","
            + " EXCLUDED.failure_message COLLATE \"C\") > (r.failed_at, r.failure_reason COLLATE \"C\","
            + " r.failure_message COLLATE \"C\")"
            + " RETURNING r.study_id";
    static final String REPORT_LABELLED = "INSERT INTO report_labelling AS l (study_id, report_sha256, labeler_version,"
            + " report_key, section, section_text, chexpert, negbio, labelled_at, mentions)"
            + " SELECT st, h, v, k, sec, txt, cx::smallint[], nb::smallint[], at::timestamptz, mn"
            + " FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[]) AS t(st, h, v, k, sec, txt, cx, nb, at, mn)"
            + " ON CONFLICT (study_id, report_sha256, labeler_version) DO UPDATE SET report_key = EXCLUDED.report_key,"
            + " section = EXCLUDED.section, section_text = EXCLUDED.section_text, chexpert = EXCLUDED.chexpert,"
            + " negbio = EXCLUDED.negbio, labelled_at = EXCLUDED.labelled_at, mentions = EXCLUDED.mentions"
            + " WHERE EXCLUDED.labelled_at > l.labelled_at"
            + " RETURNING l.study_id";
    static final String LOAD_REVISIONS = "SELECT study_id, sha256, revision, report_key, received_at, failure_reason,"
            + " failure_message FROM report_revision WHERE study_id = ANY (?)";
    static final String LOAD_LABELLINGS = "SELECT study_id, report_sha256, labeler_version, report_key, section,"
            + " section_text, chexpert, negbio, labelled_at FROM report_labelling WHERE study_id = ANY (?)";
    static final String UPSERT_REPORT = "INSERT INTO report AS r (study_id, status, report_key, report_sha256, revision,"
            + " section, section_text, labeler_version, labelled_at, failure_reason, failure_message, updated_at)"
            + " SELECT st, ss, k, h, rv, sec, txt, v, la::timestamptz, fr, fm, ?::timestamptz"
            + " FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[]) AS t(st, ss, k, h, rv, sec, txt, v, la, fr, fm)"
            + " ON CONFLICT (study_id) DO UPDATE SET status = EXCLUDED.status, report_key = EXCLUDED.report_key,"
            + " report_sha256 = EXCLUDED.report_sha256, revision = EXCLUDED.revision, section = EXCLUDED.section,"
            + " section_text = EXCLUDED.section_text, labeler_version = EXCLUDED.labeler_version,"
            + " labelled_at = EXCLUDED.labelled_at, failure_reason = EXCLUDED.failure_reason,"
            + " failure_message = EXCLUDED.failure_message, updated_at = EXCLUDED.updated_at";
    static final String STUDIES_WITH_REPORTS = "SELECT study_id FROM report_revision WHERE study_id = ANY (?)"
            + " UNION SELECT study_id FROM report_labelling WHERE study_id = ANY (?)";
    static final String UPSERT_LABEL;
    static final String DELETE_LABEL = "DELETE FROM study_label l USING unnest(?::int[], ?::text[]) AS t(st, lb)"
            + " WHERE l.study_id = t.st AND l.labeler = t.lb";
    static final String LOAD_STUDIES = "SELECT s.study_id, s.subject_id, s.state, s.images_known, s.images_converted,"
            + " s.images_failed, s.labelled, s.split, s.change_seq, ss.split AS subject_split, r.status AS report_status,"
            + " r.failure_reason AS report_failure, a.known, a.converted, a.failed, a.dates, a.views, a.image_failures,"
            + " EXISTS (SELECT 1 FROM report_revision rr WHERE rr.study_id = s.study_id AND rr.revision IS NOT NULL) AS report_received"
            + " FROM study s"
            + " LEFT JOIN subject_split ss ON ss.subject_id = s.subject_id"
            + " LEFT JOIN report r ON r.study_id = s.study_id"
            + " LEFT JOIN LATERAL (SELECT count(*) AS known,"
            + "   count(*) FILTER (WHERE i.status = 'CONVERTED') AS converted,"
            + "   count(*) FILTER (WHERE i.status = 'FAILED') AS failed,"
            + "   array_agg(i.study_date) FILTER (WHERE i.status = 'CONVERTED' AND i.study_date IS NOT NULL) AS dates,"
            + "   array_agg(i.view_position) FILTER (WHERE i.status = 'CONVERTED' AND i.view_position <> '') AS views,"
            + "   array_agg(i.failure_reason) FILTER (WHERE i.status = 'FAILED') AS image_failures"
            + "   FROM image i WHERE i.study_id = s.study_id) a ON true"
            + " WHERE s.study_id = ANY (?) ORDER BY s.study_id";
    // change_seq values are drawn in study_id order (deterministic within the transaction)
    static final String UPDATE_STUDY = "UPDATE study s SET state = u.state, images_known = u.known,"
            + " images_converted = u.conv, images_failed = u.failed, report_received = u.rr, labelled = u.lab,"
            + " report_failed = u.rf, study_date = u.sd::date, view_positions = u.vp::varchar(64)[], split = u.sp,"
            + " failure_reason = u.fr,"
            + " change_seq = u.seq,"
            + " state_since = CASE WHEN s.state = u.state AND s.change_seq <> 0 THEN s.state_since ELSE ?::timestamptz END,"
            + " updated_at = ?::timestamptz"
            + " FROM (SELECT x.*, nextval('change_seq') AS seq FROM unnest(?::int[], ?::text[], ?::int[], ?::int[], ?::int[],"
            + " ?::bool[], ?::bool[], ?::bool[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
            + " AS x(study_id, state, known, conv, failed, rr, lab, rf, sd, vp, sp, fr, o) ORDER BY x.o) u"
            + " WHERE s.study_id = u.study_id";

    static {
        StringBuilder cols = new StringBuilder();
        StringBuilder sel = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder alias = new StringBuilder();
        StringBuilder set = new StringBuilder();
        String[] c = StudyLabelEntity.COLUMNS;
        for (int i = 0; i < c.length; i++) {
            cols.append(", ").append(c[i]);
            sel.append(", v").append(i);
            arrays.append(", ?::int2[]");
            alias.append(", v").append(i);
            set.append(c[i]).append(" = EXCLUDED.").append(c[i]).append(", ");
        }
        UPSERT_LABEL = "INSERT INTO study_label (study_id, labeler" + cols + ", labeler_version, report_sha256)"
                + " SELECT st, lb" + sel + ", lv, h FROM unnest(?::int[], ?::text[]" + arrays + ", ?::text[], ?::text[])"
                + " AS t(st, lb" + alias + ", lv, h)"
                + " ON CONFLICT (study_id, labeler) DO UPDATE SET " + set
                + "labeler_version = EXCLUDED.labeler_version, report_sha256 = EXCLUDED.report_sha256";
    }

    private IndexingSql() {
    }

    /**
     * Of these studies, those that became COMPLETE in this transaction (state_since = now): seconds
     * from their first event (image or report received) to now.
     */
    static final String COMPLETION_LATENCY = "SELECT extract(epoch FROM s.state_since - least("
            + "(SELECT min(i.received_at) FROM image i WHERE i.study_id = s.study_id),"
            + " (SELECT min(r.received_at) FROM report_revision r WHERE r.study_id = s.study_id)))"
            + " FROM study s WHERE s.study_id = ANY (?) AND s.state = 'COMPLETE' AND s.state_since = ?::timestamptz";
}
