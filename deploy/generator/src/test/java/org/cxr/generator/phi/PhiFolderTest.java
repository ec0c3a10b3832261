package org.cxr.generator.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class PhiFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aPacsExportWithGoldAndTheStringsToScanForSyntheticImagesWithoutASource() throws Exception {
        PhiFolder.Written w = PhiFolder.write(tmp.resolve("out"), 3, 12, null);
        assertThat(w.realDicoms()).isFalse();
        check(w);
    }

    @Test
    void realPublicChestRadiographsGetThePatientsIdentity() throws Exception {
        Path repo = Path.of(System.getProperty("cxr.repo.root", "."));
        String env = System.getenv("CXR_SHARED_DIR");
        Path chest = (env != null ? Path.of(env) : repo.toAbsolutePath().getParent().resolve("shared")).resolve("data/dicom/chest");
        Assumptions.assumeTrue(Files.isDirectory(chest), "SKIPPED: needs ../shared/data/dicom/chest (absent in a fresh clone)");
        PhiFolder.Written w = PhiFolder.write(tmp.resolve("out"), 3, 12, chest);
        assertThat(w.realDicoms()).isTrue();
        check(w);
    }

    private static void check(PhiFolder.Written w) throws Exception {
        List<String> gold = Files.readAllLines(w.gold());
        assertThat(gold).hasSize(12);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 12; i++) {
            PhiReport r = w.reports().get(i);
            JsonNode line = json.readTree(gold.get(i));
            assertThat(line.get("text").asText()).isEqualTo(r.text());
            assertThat(line.get("spans")).hasSize(r.spans().size());
            assertThat(Files.readString(w.export().resolve(r.studyInstanceUid() + ".txt"), StandardCharsets.UTF_8))
                    .isEqualTo(r.text());
            try (Stream<Path> dcm = Files.list(w.export().resolve(r.studyInstanceUid()))) {
                for (Path f : dcm.toList()) {
                    Dataset ds = DicomReader.read(f).dataset();
                    assertThat(ds.getString(Tag.PatientName)).isEqualTo(r.patient().dicomName());
                    assertThat(ds.getString(Tag.PatientID)).isEqualTo(r.patient().mrn());
                    assertThat(ds.getString(Tag.AccessionNumber)).isEqualTo(r.accession());
                    assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(r.studyInstanceUid());
                    assertThat(ds.getString(Tag.forKeyword("ImageComments"))).contains(r.patient().family());
                    assertThat(ds.pixelData()).isNotNull();
                }
            }
        }
        List<String> tsv = Files.readAllLines(w.identifiers());
        PhiReport first = w.reports().get(0);
        assertThat(tsv).anyMatch(l -> l.endsWith("\t" + first.patient().mrn()));
        assertThat(tsv).anyMatch(l -> l.endsWith("\t" + first.patient().ssn().replace("-", "")));
        assertThat(tsv).anyMatch(l -> l.endsWith("\t" + first.patient().dicomName()));
        assertThat(tsv).anyMatch(l -> l.endsWith("\t" + first.studyInstanceUid()));
        // the needles as written are in the export (those a line break splits excepted): the scanner sees them
        List<PlantedIdentifiers.Needle> asWritten = w.needles().stream().filter(n -> n.encoding().equals("as_written")).toList();
        List<LeakScanner.Hit> hits = new LeakScanner(asWritten).scan(w.export());
        assertThat(hits.stream().map(LeakScanner.Hit::needle).distinct().count())
                .as("needles found in the export").isGreaterThanOrEqualTo((long) (asWritten.size() * 0.95));
    }
}
