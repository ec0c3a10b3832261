package org.cxr.catalog.domain.release;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cxr.catalog.domain.format.MimicFormat;
import org.cxr.catalog.domain.query.Labeler;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;

/**
 * Writes a dataset release in the MIMIC-CXR-JPG layout from a {@link ReleaseSource} into a
 * {@link ReleaseSink}: the metadata, split, chexpert and negbio CSVs (gzip), IMAGE_FILENAMES, a
 * README with counts and versions, SHA256SUMS.txt and, when asked, the JPGs under files/.
 *
 * <p>Rows are streamed from the source straight into the compressed files (memory does not depend
 * on the catalog size); all rows come from one snapshot. The CSV bytes depend only on the catalog
 * content: rows are sorted by the source, values use the published formats ({@link MimicFormat}),
 * and gzip headers carry no time or name ({@link DeterministicGzip}).
 */
public final class ReleaseWriter {

    /** What the README says about the release besides counts. */
    public record ReleaseInfo(int releaseId, Integer sinceReleaseId, String datasetName) {
    }

    private final ReleaseSource source;
    private final JpgSource jpgs;
    private final Path workDir;

    /**
     * @param jpgs where JPGs are read from (only used for releases with images)
     * @param workDir scratch space for the list of JPGs to copy (one short line per image)
     */
    public ReleaseWriter(ReleaseSource source, JpgSource jpgs, Path workDir) {
        this.source = source;
        this.jpgs = jpgs;
        this.workDir = workDir;
    }

    public ReleaseResult write(ReleaseSelection selection, ReleaseSink sink, boolean withImages, ReleaseInfo info)
            throws IOException {
        Files.createDirectories(workDir);
        Path copyList = Files.createTempFile(workDir, "release-images-", ".tsv");
        try {
            return doWrite(selection, sink, withImages, info, copyList);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("release failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(copyList);
        }
    }

    private ReleaseResult doWrite(ReleaseSelection selection, ReleaseSink sink, boolean withImages, ReleaseInfo info,
            Path copyList) throws Exception {
        List<ReleaseResult.FileEntry> files = new ArrayList<>();
        Counts counts = new Counts();
        long hwm;
        try (ReleaseSource.Snapshot snap = source.open(selection)) {
            hwm = snap.highWaterMark();
            try (CsvWriter metadata = new CsvWriter(new DeterministicGzip(open(sink, ReleaseFiles.METADATA, files)), 12);
                 CsvWriter split = new CsvWriter(new DeterministicGzip(open(sink, ReleaseFiles.SPLIT, files)), 4);
                 BufferedWriter names = new BufferedWriter(new OutputStreamWriter(
                         open(sink, ReleaseFiles.IMAGE_FILENAMES, files), StandardCharsets.UTF_8), 64 * 1024);
                 BufferedWriter copies = Files.newBufferedWriter(copyList, StandardCharsets.UTF_8)) {
                metadata.header(ReleaseFiles.METADATA_COLUMNS);
                split.header(ReleaseFiles.SPLIT_COLUMNS);
                snap.images(row -> {
                    String subject = Integer.toString(row.subjectId());
                    String study = Integer.toString(row.studyId());
                    metadata.set(0, row.dicomId()).set(1, subject).set(2, study)
                            .set(3, MimicFormat.text(row.performedProcedureStepDescription()))
                            .set(4, MimicFormat.text(row.viewPosition()))
                            .set(5, MimicFormat.integer(row.rows()))
                            .set(6, MimicFormat.integer(row.columns()))
                            .set(7, MimicFormat.studyDate(row.studyDate()))
                            .set(8, MimicFormat.studyTime(row.studyTime()))
                            .set(9, MimicFormat.text(row.procedureCodeMeaning()))
                            .set(10, MimicFormat.text(row.viewCodeMeaning()))
                            .set(11, MimicFormat.text(row.patientOrientationCodeMeaning()))
                            .endRow();
                    split.set(0, row.dicomId()).set(1, study).set(2, subject).set(3, row.split()).endRow();
                    String path = ObjectKeys.jpg(subject, study, row.dicomId());
                    names.write(path);
                    names.write('\n');
                    if (withImages) {
                        copies.write(path + '\t' + row.jpgBucket() + '\t' + row.jpgKey() + '\n');
                    }
                    counts.image(row);
                });
            }
            counts.labelRows.put(Labeler.CHEXPERT, labels(snap, Labeler.CHEXPERT, ReleaseFiles.CHEXPERT, sink, files, counts));
            counts.labelRows.put(Labeler.NEGBIO, labels(snap, Labeler.NEGBIO, ReleaseFiles.NEGBIO, sink, files, counts));
        }
        if (withImages) {
            copyImages(copyList, sink, files);
        }
        String readme = readme(info, selection, counts, withImages);
        try (OutputStream out = open(sink, ReleaseFiles.README, files)) {
            out.write(readme.getBytes(StandardCharsets.UTF_8));
        }
        files.sort(Comparator.comparing(ReleaseResult.FileEntry::name));
        StringBuilder sums = new StringBuilder();
        for (ReleaseResult.FileEntry f : files) {
            sums.append(f.sha256()).append("  ").append(f.name()).append('\n');
        }
        try (OutputStream out = open(sink, ReleaseFiles.SHA256SUMS, files)) {
            out.write(sums.toString().getBytes(StandardCharsets.UTF_8));
        }
        files.sort(Comparator.comparing(ReleaseResult.FileEntry::name));
        return new ReleaseResult(hwm, counts.images, counts.studies, counts.subjects,
                counts.labelRows.get(Labeler.CHEXPERT), counts.labelRows.get(Labeler.NEGBIO),
                new TreeMap<>(counts.imagesBySplit), counts.converterVersions, counts.labelerVersions,
                List.copyOf(files), readme);
    }

    private static long labels(ReleaseSource.Snapshot snap, Labeler labeler, String name, ReleaseSink sink,
            List<ReleaseResult.FileEntry> files, Counts counts) throws Exception {
        long[] rows = {0};
        Observation[] obs = Observation.values();
        try (CsvWriter csv = new CsvWriter(new DeterministicGzip(open(sink, name, files)), 2 + obs.length)) {
            List<String> header = new ArrayList<>(List.of("subject_id", "study_id"));
            for (Observation o : obs) {
                header.add(o.column());
            }
            csv.header(header);
            snap.labels(labeler, row -> {
                csv.set(0, Integer.toString(row.subjectId())).set(1, Integer.toString(row.studyId()));
                for (int i = 0; i < obs.length; i++) {
                    csv.set(2 + i, MimicFormat.label(row.values()[i]));
                }
                csv.endRow();
                rows[0]++;
                counts.labelerVersions.merge(labeler.value() + " " + row.labelerVersion(), 1L, Long::sum);
            });
        }
        return rows[0];
    }

    private void copyImages(Path copyList, ReleaseSink sink, List<ReleaseResult.FileEntry> files) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(copyList, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] p = line.split("\t", -1);
                try (InputStream jpg = jpgs.open(p[1], p[2]); OutputStream out = open(sink, p[0], files)) {
                    jpg.transferTo(out);
                }
            }
        }
    }

    private static OutputStream open(ReleaseSink sink, String name, List<ReleaseResult.FileEntry> files)
            throws IOException {
        return new HashingOutputStream(sink.create(name),
                h -> files.add(new ReleaseResult.FileEntry(name, h.bytes(), h.sha256())));
    }

    /** Running totals while the rows stream by (rows arrive sorted by subject, study). */
    private static final class Counts {
        long images;
        long studies;
        long subjects;
        int lastSubject = -1;
        int lastStudy = -1;
        final Map<String, Long> imagesBySplit = new TreeMap<>();
        final Map<String, Long> studiesBySplit = new TreeMap<>();
        final Map<String, Long> subjectsBySplit = new TreeMap<>();
        final Map<String, Long> views = new TreeMap<>();
        final Map<String, Long> converterVersions = new TreeMap<>();
        final Map<String, Long> labelerVersions = new TreeMap<>();
        final Map<Labeler, Long> labelRows = new LinkedHashMap<>();

        void image(ImageRow r) {
            images++;
            imagesBySplit.merge(r.split(), 1L, Long::sum);
            views.merge(r.viewPosition() == null || r.viewPosition().isEmpty() ? "(none)" : r.viewPosition(), 1L,
                    Long::sum);
            converterVersions.merge(r.converterVersion() == null ? "(unknown)" : r.converterVersion(), 1L, Long::sum);
            if (r.subjectId() != lastSubject) {
                subjects++;
                subjectsBySplit.merge(r.split(), 1L, Long::sum);
                lastSubject = r.subjectId();
            }
            if (r.studyId() != lastStudy) {
                studies++;
                studiesBySplit.merge(r.split(), 1L, Long::sum);
                lastStudy = r.studyId();
            }
        }
    }

    private static String readme(ReleaseInfo info, ReleaseSelection selection, Counts c, boolean withImages) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(info.datasetName()).append(" release ").append(info.releaseId()).append("\n\n");
        if (selection.incremental()) {
            sb.append("Incremental release: the studies that were completed or changed after release ")
                    .append(info.sinceReleaseId()).append(", each with all its rows. ")
                    .append("Apply it on top of that release, replacing rows with the same ids.\n\n");
        } else {
            sb.append("Full release: every study that was COMPLETE in the catalog.\n\n");
        }
        // The high-water mark is kept in the release record (GET /releases/{id}), not here: this file
        // depends only on the released content and the release number, like the CSVs.
        sb.append("A study is released when its report is labelled and every received instance is converted ")
                .append("or failed, with at least one JPG. Every converted image of a released study is in ")
                .append("metadata, split and IMAGE_FILENAMES; failed instances are not. A study has a chexpert ")
                .append("and a negbio row unless its report had no labellable section (as in MIMIC-CXR-JPG).\n\n");
        sb.append("Files are laid out and encoded like MIMIC-CXR-JPG v2.0.0 (same names, columns, order, ")
                .append("number formats and empty cells): read them with the same code.\n\n");
        sb.append("## Counts\n\n");
        sb.append("| | images | studies | subjects |\n|---|---:|---:|---:|\n");
        sb.append("| all | ").append(c.images).append(" | ").append(c.studies).append(" | ").append(c.subjects)
                .append(" |\n");
        for (String split : List.of("train", "validate", "test")) {
            sb.append("| ").append(split).append(" | ").append(c.imagesBySplit.getOrDefault(split, 0L)).append(" | ")
                    .append(c.studiesBySplit.getOrDefault(split, 0L)).append(" | ")
                    .append(c.subjectsBySplit.getOrDefault(split, 0L)).append(" |\n");
        }
        sb.append("\nLabel rows: chexpert ").append(c.labelRows.get(Labeler.CHEXPERT)).append(", negbio ")
                .append(c.labelRows.get(Labeler.NEGBIO)).append(".\n\n");
        sb.append("Images by ViewPosition:\n\n");
        c.views.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## Versions\n\nConverter (images per version):\n\n");
        if (c.converterVersions.isEmpty()) {
            sb.append("- (none)\n");
        }
        c.converterVersions.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\nLabelers (label rows per version):\n\n");
        if (c.labelerVersions.isEmpty()) {
            sb.append("- (none)\n");
        }
        c.labelerVersions.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## Files\n\n");
        sb.append("- ").append(ReleaseFiles.METADATA).append(": one row per image\n");
        sb.append("- ").append(ReleaseFiles.CHEXPERT).append(", ").append(ReleaseFiles.NEGBIO)
                .append(": one row per labelled study\n");
        sb.append("- ").append(ReleaseFiles.SPLIT).append(": one row per image (train / validate / test by patient)\n");
        sb.append("- ").append(ReleaseFiles.IMAGE_FILENAMES).append(": the relative path of every JPG\n");
        sb.append("- ").append(ReleaseFiles.SHA256SUMS).append(": sha256 of every other file")
                .append(withImages ? ", JPGs included" : " (JPGs: see IMAGE_FILENAMES)").append('\n');
        return sb.toString();
    }
}
