package org.cxr.generator.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.generator.GeneratedInstance;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWriterTest {
    private static final GeneratorOptions SMALL = GeneratorOptions.defaults().withMaxSize(64, 64);

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void mimicLayoutWritesFilesKeysAndManifest(@TempDir Path out) throws IOException {
        List<GeneratedStudy> studies = new StudyGenerator(9, SMALL).studies(12).toList();
        List<Long> progress = new ArrayList<>();
        TreeWriter.Summary summary = new TreeWriter(out, TreeWriter.Layout.MIMIC, 2)
                .write(new StudyGenerator(9, SMALL).studies(12), progress::add);

        assertThat(summary.studies()).isEqualTo(12);
        assertThat(progress).hasSize(12).last().isEqualTo(12L);
        List<CSVRecord> chexpert = csv(out.resolve("answer-key-chexpert.csv"));
        List<CSVRecord> negbio = csv(out.resolve("answer-key-negbio.csv"));
        List<CSVRecord> manifest = csv(out.resolve("manifest.csv"));
        assertThat(chexpert.get(0).getParser().getHeaderNames()).startsWith("subject_id", "study_id", "Atelectasis")
                .endsWith("Support Devices").hasSize(16);
        assertThat(chexpert).hasSize(12);
        assertThat(manifest).hasSize((int) summary.instances());
        long bytes = 0;
        int row = 0;
        for (int i = 0; i < studies.size(); i++) {
            GeneratedStudy s = studies.get(i);
            assertThat(Files.readString(out.resolve(ObjectKeys.report(s.subjectId(), s.studyId())))).isEqualTo(s.report());
            CSVRecord c = chexpert.get(i);
            assertThat(c.get("subject_id")).isEqualTo(s.subjectId());
            assertThat(c.get("study_id")).isEqualTo(s.studyId());
            for (Observation o : Observation.values()) {
                Double expected = s.answerKey().chexpert().get(o);
                assertThat(c.get(o.column())).isEqualTo(expected == null ? "" : expected.toString());
                Double n = s.answerKey().negbio().get(o);
                assertThat(negbio.get(i).get(o.column())).isEqualTo(n == null ? "" : n.toString());
                assertThat(c.get(o.column())).isIn("", "1.0", "0.0", "-1.0");
            }
            for (GeneratedInstance in : s.instances()) {
                CSVRecord m = manifest.get(row++);
                String key = ObjectKeys.dicom(s.subjectId(), s.studyId(), in.dicomId());
                assertThat(m.get("path")).isEqualTo(key);
                byte[] file = Files.readAllBytes(out.resolve(key));
                assertThat(file).isEqualTo(in.bytes());
                assertThat(Long.parseLong(m.get("bytes"))).isEqualTo(file.length);
                assertThat(m.get("transfer_syntax")).isEqualTo(in.image().syntax().cliName());
                bytes += file.length;
            }
        }
        assertThat(summary.bytes()).isEqualTo(bytes);
    }

    @Test
    void flatLayoutIsKeyedByUidsAndTheWorkerCountChangesNothing(@TempDir Path a, @TempDir Path b) throws IOException {
        new TreeWriter(a, TreeWriter.Layout.FLAT, 1).write(new StudyGenerator(10, SMALL).studies(8), n -> { });
        new TreeWriter(b, TreeWriter.Layout.FLAT, 3).write(new StudyGenerator(10, SMALL).studies(8), n -> { });
        List<GeneratedStudy> studies = new StudyGenerator(10, SMALL).studies(8).toList();
        List<CSVRecord> keys = csv(a.resolve("answer-key-chexpert.csv"));
        for (int i = 0; i < studies.size(); i++) {
            GeneratedStudy s = studies.get(i);
            assertThat(keys.get(i).get("study_instance_uid")).isEqualTo(s.studyInstanceUid());
            assertThat(a.resolve(s.studyInstanceUid() + ".txt")).exists();
            for (GeneratedInstance in : s.instances()) {
                assertThat(a.resolve(s.studyInstanceUid()).resolve(in.sopInstanceUid() + ".dcm")).exists();
            }
        }
        assertThat(tree(a)).isEqualTo(tree(b));
        for (String f : tree(a)) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void refusesAFolderThatIsNotEmpty(@TempDir Path out) throws IOException {
        Files.writeString(out.resolve("old.txt"), "x");
        assertThatThrownBy(() -> new TreeWriter(out, TreeWriter.Layout.MIMIC, 1)
                .write(new StudyGenerator(1, SMALL).studies(1), n -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("not empty");
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
