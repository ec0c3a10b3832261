package org.cxr.catalog.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import javax.sql.DataSource;

import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.service.CatalogIndexer;
import org.cxr.events.ObjectKeys;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills the catalog to MIMIC-CXR-JPG size, deterministically (seeded): 65,379 subjects, 227,827
 * studies, 377,110 images (about 40 % PA, 27 % AP, 25 % LATERAL, 8 % LL), one labelled report per
 * study (83 % IMPRESSION, 12 % FINDINGS, 5 % LAST_PARAGRAPH) with label values drawn with roughly
 * the published CheXpert prevalences. The facts (subject, split, image, report revision, labelling)
 * are written with COPY; the derived rows (report, study_label, study) by the production code
 * ({@link CatalogIndexer#recompute}), so they are exactly what indexing would have produced.
 */
public final class MimicScaleLoader {
    public static final int SUBJECTS = 65_379;
    public static final int STUDIES = 227_827;
    public static final int IMAGES = 377_110;
    private static final int CHUNK = 50_000;
    private static final String[] VIEWS = {"PA", "AP", "LATERAL", "LL"};
    private static final double[] VIEW_CUMUL = {0.40, 0.67, 0.92, 1.0};
    private static final String[] VIEW_CODE = {"postero-anterior", "antero-posterior", "lateral", "lateral"};
    /** positive, negative, uncertain shares per observation (CheXpert-style, about MIMIC's). */
    private static final double[][] PREVALENCE = {
            {.201, .007, .045}, {.197, .070, .027}, {.047, .035, .019}, {.119, .113, .058}, {.031, .023, .041},
            {.019, .004, .003}, {.028, .004, .005}, {.226, .013, .017}, {.331, 0, 0}, {.238, .119, .026},
            {.009, .001, .003}, {.073, .100, .080}, {.045, .186, .005}, {.292, .015, .001}};

    private final DataSource ds;
    private final CatalogIndexer indexer;
    private final SplitAssigner splits;

    public MimicScaleLoader(DataSource ds, CatalogIndexer indexer, SplitAssigner splits) {
        this.ds = ds;
        this.indexer = indexer;
        this.splits = splits;
    }

    public static int subjectId(int k) {
        return 10_000_000 + k * 152;
    }

    /** study k (0-based) -> a unique 8-digit id whose order says nothing about k. */
    public static int studyId(long k) {
        return (int) (50_000_000 + (k * 7919 + 13) % 10_000_000);
    }

    public static int subjectOfStudy(int k) {
        return subjectId((int) ((long) k * SUBJECTS / STUDIES));
    }

    public static String dicomId(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(44);
        for (int g = 0; g < 5; g++) {
            if (g > 0) {
                sb.append('-');
            }
            String h = Long.toHexString(r.nextLong() & 0xffffffffL | 0x100000000L);
            sb.append(h, 1, 9);
        }
        return sb.toString();
    }

    public void load() throws Exception {
        long t0 = System.nanoTime();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder sb = new StringBuilder();
            for (int s = 0; s < SUBJECTS; s++) {
                sb.append(subjectId(s)).append(',').append(now).append('\n');
            }
            copy.copyIn("COPY subject (subject_id, first_seen_at) FROM STDIN WITH (FORMAT csv)", new StringReader(sb.toString()));
            sb.setLength(0);
            for (int s = 0; s < SUBJECTS; s++) {
                String id = Integer.toString(subjectId(s));
                sb.append(id).append(',').append(splits.assign(id).value()).append(",ASSIGNED,\"")
                        .append(splits.rule()).append("\",").append(now).append('\n');
            }
            copy.copyIn("COPY subject_split (subject_id, split, method, split_rule, assigned_at) FROM STDIN WITH (FORMAT csv)",
                    new StringReader(sb.toString()));
            sb.setLength(0);
            for (int k = 0; k < STUDIES; k++) {
                sb.append(studyId(k)).append(',').append(subjectOfStudy(k)).append(",RECEIVED,0,").append(now).append(',')
                        .append(now).append('\n');
                if (sb.length() > 4_000_000) {
                    copy.copyIn("COPY study (study_id, subject_id, state, change_seq, state_since, updated_at) FROM STDIN"
                            + " WITH (FORMAT csv)", new StringReader(sb.toString()));
                    sb.setLength(0);
                }
            }
            copy.copyIn("COPY study (study_id, subject_id, state, change_seq, state_since, updated_at) FROM STDIN"
                    + " WITH (FORMAT csv)", new StringReader(sb.toString()));
            sb.setLength(0);
            loadImages(copy, now);
            loadReports(copy, now);
        }
        long facts = System.nanoTime();
        List<Integer> ids = new ArrayList<>(STUDIES);
        for (int k = 0; k < STUDIES; k++) {
            ids.add(studyId(k));
        }
        ids.sort(null);
        indexer.recompute(ids, false, 5000);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("VACUUM ANALYZE");
        }
        System.out.printf("[bench] loaded MIMIC-size catalog: facts %.1f s, derived rows %.1f s%n",
                (facts - t0) / 1e9, (System.nanoTime() - facts) / 1e9);
    }

    private void loadImages(CopyManager copy, Instant now) throws Exception {
        SplittableRandom r = new SplittableRandom(2019);
        StringBuilder sb = new StringBuilder();
        int extra = IMAGES - STUDIES;
        int written = 0;
        for (int k = 0; k < STUDIES; k++) {
            int n = 1 + (int) (((long) (k + 1) * extra / STUDIES) - ((long) k * extra / STUDIES));
            String subject = Integer.toString(subjectOfStudy(k));
            String study = Integer.toString(studyId(k));
            LocalDate date = LocalDate.of(2110, 1, 1).plusDays(r.nextInt(365 * 90));
            String da = date.toString().replace("-", "");
            for (int i = 0; i < n; i++) {
                String dicom = dicomId(r);
                double u = r.nextDouble();
                int v = u < VIEW_CUMUL[0] ? 0 : u < VIEW_CUMUL[1] ? 1 : u < VIEW_CUMUL[2] ? 2 : 3;
                String tm = String.format("%02d%02d%02d.%03d", r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000));
                String key = ObjectKeys.jpg(subject, study, dicom);
                sb.append(dicom).append(',').append(study).append(',').append(subject)
                        .append(",cxr-dicom,").append(ObjectKeys.dicom(subject, study, dicom)).append(',')
                        .append(hex64(r)).append(',').append(8_000_000 + r.nextInt(4_000_000)).append(",1.2.840.10008.1.2.1,")
                        .append("1.2.840.10008.5.1.4.1.1.1.1,IMPORT,").append(now).append(",cxr-jpg,").append(key).append(',')
                        .append(1_000_000 + r.nextInt(1_000_000)).append(',').append(hex64(r)).append(",f,convert-bench-1.0,")
                        .append(now).append(",CHEST (PA AND LAT),").append(VIEWS[v]).append(',')
                        .append(2000 + r.nextInt(1100)).append(',').append(2000 + r.nextInt(1100)).append(',').append(da)
                        .append(',').append(tm).append(",CHEST (PA AND LAT),").append(VIEW_CODE[v]).append(",Erect,")
                        .append(now).append('\n');
                written++;
            }
            if (sb.length() > 8_000_000 || k == STUDIES - 1) {
                copy.copyIn("COPY image (dicom_id, study_id, subject_id, dicom_bucket, dicom_key, dicom_sha256, dicom_bytes,"
                        + " transfer_syntax_uid, sop_class_uid, source, received_at, jpg_bucket, jpg_key, jpg_bytes,"
                        + " source_sha256, constant_image, converter_version, converted_at,"
                        + " performed_procedure_step_description, view_position, image_rows, image_columns, study_date,"
                        + " study_time, procedure_code_meaning, view_code_meaning, patient_orientation_code_meaning,"
                        + " updated_at) FROM STDIN WITH (FORMAT csv)", new StringReader(sb.toString()));
                sb.setLength(0);
            }
        }
        if (written != IMAGES) {
            throw new IllegalStateException("generated " + written + " images");
        }
    }

    private void loadReports(CopyManager copy, Instant now) throws Exception {
        SplittableRandom r = new SplittableRandom(2020);
        StringBuilder rev = new StringBuilder();
        StringBuilder lab = new StringBuilder();
        for (int k = 0; k < STUDIES; k++) {
            String subject = Integer.toString(subjectOfStudy(k));
            String study = Integer.toString(studyId(k));
            String sha = hex64(r);
            String key = ObjectKeys.report(subject, study);
            rev.append(study).append(',').append(sha).append(",1,cxr-reports,").append(key).append(',')
                    .append(800 + r.nextInt(2000)).append(",IMPORT,").append(now).append('\n');
            double u = r.nextDouble();
            String section = u < 0.832 ? "IMPRESSION" : u < 0.954 ? "FINDINGS" : "LAST_PARAGRAPH";
            StringBuilder chexpert = new StringBuilder("{");
            StringBuilder negbio = new StringBuilder("{");
            for (int o = 0; o < PREVALENCE.length; o++) {
                double x = r.nextDouble();
                double[] p = PREVALENCE[o];
                String cv = x < p[0] ? "1" : x < p[0] + p[1] ? "0" : x < p[0] + p[1] + p[2] ? "-1" : "NULL";
                String nv = cv.equals("-1") && r.nextBoolean() ? "0" : cv;
                chexpert.append(o == 0 ? "" : ",").append(cv);
                negbio.append(o == 0 ? "" : ",").append(nv);
            }
            lab.append(study).append(',').append(sha).append(",label-bench-1.0,").append(key).append(',').append(section)
                    .append(",\"1. No acute cardiopulmonary process. 2. Study ").append(study)
                    .append(" compared with prior.\",\"").append(chexpert).append("}\",\"").append(negbio).append("}\",")
                    .append(now).append('\n');
            if (lab.length() > 8_000_000 || k == STUDIES - 1) {
                copy.copyIn("COPY report_revision (study_id, sha256, revision, report_bucket, report_key, size_bytes, source,"
                        + " received_at) FROM STDIN WITH (FORMAT csv)", new StringReader(rev.toString()));
                copy.copyIn("COPY report_labelling (study_id, report_sha256, labeler_version, report_key, section,"
                        + " section_text, chexpert, negbio, labelled_at) FROM STDIN WITH (FORMAT csv)",
                        new StringReader(lab.toString()));
                rev.setLength(0);
                lab.setLength(0);
            }
        }
    }

    private static String hex64(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            String h = Long.toHexString(r.nextLong());
            sb.append("0".repeat(16 - h.length())).append(h);
        }
        return sb.toString();
    }
}
