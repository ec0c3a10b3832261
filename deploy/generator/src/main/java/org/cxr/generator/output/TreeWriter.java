package org.cxr.generator.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cxr.events.LabelVector;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.image.ImageSpec;

/**
 * Writes generated studies to a folder, in one of two layouts:
 * <ul>
 * <li>{@link Layout#MIMIC}: {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.dcm} and
 * {@code files/pXX/pSUBJECT/sSTUDY.txt} (the MIMIC-CXR layout; answer keys by subject_id, study_id);</li>
 * <li>{@link Layout#FLAT}: {@code STUDY_UID/SOP_UID.dcm} and {@code STUDY_UID.txt}, as a hospital
 * export would (answer keys by study_instance_uid).</li>
 * </ul>
 * Plus {@code answer-key-chexpert.csv}, {@code answer-key-negbio.csv} (label values in the published
 * formats 1.0 / 0.0 / -1.0 / empty), {@code answer-key-sections.csv} (which section is labelled and
 * its text) and {@code manifest.csv} (one row per file written).
 * <p>Studies are generated in order and encoded by {@code workers} threads; at most
 * {@code 2 × workers} studies are in flight, so memory stays constant for any number of studies, and
 * the CSV rows come out in study order whatever the number of workers.
 */
public final class TreeWriter {
    public enum Layout {
        MIMIC, FLAT
    }

    /** What a run wrote. */
    public record Summary(long studies, long instances, long bytes) {
    }

    private record Written(GeneratedStudy study, List<List<Object>> manifestRows, long bytes) {
    }

    private static final List<String> MANIFEST_HEADER = List.of("path", "dicom_id", "subject_id", "study_id",
            "study_instance_uid", "sop_instance_uid", "view", "rows", "columns", "transfer_syntax", "photometric",
            "bits_stored", "bytes");

    private final Path out;
    private final Layout layout;
    private final int workers;

    public TreeWriter(Path out, Layout layout, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        this.out = out;
        this.layout = layout;
        this.workers = workers;
    }

    /**
     * Writes the studies of {@code studies} into an empty (or new) folder.
     *
     * @param progress called with the number of studies written so far, after each study
     */
    public Summary write(Stream<GeneratedStudy> studies, LongConsumer progress) throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> existing = Files.list(out)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(out + " is not empty: the generator writes into an empty folder");
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tree-writer");
            t.setDaemon(true);
            return t;
        });
        String keyColumn = layout == Layout.MIMIC ? "subject_id,study_id" : "study_instance_uid";
        try (CSVPrinter chexpert = printer("answer-key-chexpert.csv", keyHeader(keyColumn));
             CSVPrinter negbio = printer("answer-key-negbio.csv", keyHeader(keyColumn));
             CSVPrinter sections = printer("answer-key-sections.csv", concat(keyColumn.split(","), "section", "labelled_text"));
             CSVPrinter manifest = printer("manifest.csv", MANIFEST_HEADER.toArray(String[]::new))) {
            ArrayDeque<Future<Written>> inFlight = new ArrayDeque<>();
            long done = 0;
            long instances = 0;
            long bytes = 0;
            Iterator<GeneratedStudy> it = studies.iterator();
            while (it.hasNext() || !inFlight.isEmpty()) {
                if (it.hasNext() && inFlight.size() < 2 * workers) {
                    GeneratedStudy study = it.next();
                    inFlight.add(pool.submit(() -> writeStudy(study)));
                    continue;
                }
                Written w = await(inFlight.removeFirst());
                GeneratedStudy s = w.study();
                List<Object> key = layout == Layout.MIMIC ? List.of(s.subjectId(), s.studyId()) : List.of(s.studyInstanceUid());
                chexpert.printRecord(concat(key, labels(s.answerKey().chexpert())));
                negbio.printRecord(concat(key, labels(s.answerKey().negbio())));
                sections.printRecord(concat(key, List.of(s.answerKey().section().name().toLowerCase(), s.labelledText())));
                for (List<Object> row : w.manifestRows()) {
                    manifest.printRecord(row);
                }
                done++;
                instances += w.manifestRows().size();
                bytes += w.bytes();
                progress.accept(done);
            }
            return new Summary(done, instances, bytes);
        } finally {
            pool.shutdownNow();
        }
    }

    private Written writeStudy(GeneratedStudy s) throws IOException {
        String reportKey = layout == Layout.MIMIC ? ObjectKeys.report(s.subjectId(), s.studyId())
                : s.studyInstanceUid() + ".txt";
        Path report = out.resolve(reportKey);
        Files.createDirectories(report.getParent());
        Files.write(report, s.reportBytes());
        long total = 0;
        List<List<Object>> rows = new ArrayList<>();
        for (GeneratedInstance in : s.instances()) {
            String key = layout == Layout.MIMIC ? ObjectKeys.dicom(s.subjectId(), s.studyId(), in.dicomId())
                    : s.studyInstanceUid() + "/" + in.sopInstanceUid() + ".dcm";
            Path file = out.resolve(key);
            Files.createDirectories(file.getParent());
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                in.writeTo(o);
            }
            long size = Files.size(file);
            total += size;
            ImageSpec img = in.image();
            rows.add(List.of(key, in.dicomId(), s.subjectId(), s.studyId(), s.studyInstanceUid(), in.sopInstanceUid(),
                    in.viewPosition(), img.rows(), img.columns(), img.syntax().cliName(), img.photometric(),
                    img.bitsStored(), size));
        }
        return new Written(s, rows, total);
    }

    /** The value as written in the published label files: "1.0", "0.0", "-1.0" or empty. */
    static List<String> labels(LabelVector v) {
        List<String> out = new ArrayList<>();
        for (Observation o : Observation.values()) {
            Double d = v.get(o);
            out.add(d == null ? "" : d.toString());
        }
        return out;
    }

    private CSVPrinter printer(String name, String[] header) throws IOException {
        Writer w = Files.newBufferedWriter(out.resolve(name));
        return new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').get());
    }

    private static String[] keyHeader(String keyColumns) {
        List<String> h = new ArrayList<>(List.of(keyColumns.split(",")));
        for (Observation o : Observation.values()) {
            h.add(o.column());
        }
        return h.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    private static List<Object> concat(List<?> a, List<?> b) {
        List<Object> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static Written await(Future<Written> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException uio) {
                throw uio.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }
}
