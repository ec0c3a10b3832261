package org.cxr.catalog.domain.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.cxr.catalog.domain.query.Labeler;
import org.cxr.catalog.domain.release.ImageRow;
import org.cxr.catalog.domain.release.LabelRow;
import org.cxr.catalog.domain.release.ReleaseFiles;
import org.cxr.catalog.domain.release.ReleaseResult;
import org.cxr.catalog.domain.release.ReleaseSelection;
import org.cxr.catalog.domain.release.ReleaseSource;
import org.cxr.catalog.domain.release.ReleaseWriter;
import org.cxr.catalog.storage.FolderReleaseSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseWriterTest {
    static final String D1 = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014";
    static final String D2 = "174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962";
    static final String D3 = "2a2277a9-b0ded155-c0de8eb9-c124d10e-82c5caab";

    /** An in-memory source with rows in file order. */
    static ReleaseSource source(List<ImageRow> images, List<LabelRow> chexpert, List<LabelRow> negbio) {
        return selection -> new ReleaseSource.Snapshot() {
            @Override
            public long highWaterMark() {
                return 42;
            }

            @Override
            public void images(ReleaseSource.RowHandler<ImageRow> h) throws Exception {
                for (ImageRow r : images) {
                    h.accept(r);
                }
            }

            @Override
            public void labels(Labeler l, ReleaseSource.RowHandler<LabelRow> h) throws Exception {
                for (LabelRow r : l == Labeler.CHEXPERT ? chexpert : negbio) {
                    h.accept(r);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    static List<ImageRow> images() {
        return List.of(
                new ImageRow(D1, 10000032, 50414267, "CHEST (PA AND LAT)", "PA", 3056, 2544, "21800506", "213014.531000",
                        "CHEST (PA AND LAT)", "postero-anterior", "Erect", "train", "conv-1.0", "cxr-jpg",
                        "files/p10/p10000032/s50414267/" + D1 + ".jpg"),
                new ImageRow(D2, 10000032, 50414267, "CHEST (PA AND LAT)", "LATERAL", 3056, 2544, "21800506", "080556",
                        null, "lateral", "Erect", "train", "conv-1.0", "cxr-jpg",
                        "files/p10/p10000032/s50414267/" + D2 + ".jpg"),
                new ImageRow(D3, 10000764, 57375967, "CHEST, \"PORTABLE\"", "AP", 2705, 2539, "21321019", "080556.875",
                        null, null, null, "test", "conv-1.0", "cxr-jpg", "files/p10/p10000764/s57375967/" + D3 + ".jpg"));
    }

    static List<LabelRow> labels() {
        Short[] a = new Short[14];
        a[0] = -1;
        a[8] = 1;
        a[13] = 0;
        return List.of(new LabelRow(10000032, 50414267, a, "lab-1.0"), new LabelRow(10000764, 57375967, new Short[14], "lab-1.0"));
    }

    static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesThePublishedFormats(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("release");
        ReleaseResult r = new ReleaseWriter(source(images(), labels(), labels()), null, tmp.resolve("work"))
                .write(ReleaseSelection.full(), new FolderReleaseSink(out), false, new ReleaseWriter.ReleaseInfo(1, null, "test"));
        assertThat(gunzip(out.resolve(ReleaseFiles.METADATA))).isEqualTo(
                "dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,"
                        + "StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,"
                        + "PatientOrientationCodeSequence_CodeMeaning\n"
                        + D1 + ",10000032,50414267,CHEST (PA AND LAT),PA,3056,2544,21800506,213014.531,CHEST (PA AND LAT),postero-anterior,Erect\n"
                        + D2 + ",10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544,21800506,80556.0,,lateral,Erect\n"
                        + D3 + ",10000764,57375967,\"CHEST, \"\"PORTABLE\"\"\",AP,2705,2539,21321019,80556.875,,,\n");
        assertThat(gunzip(out.resolve(ReleaseFiles.SPLIT))).isEqualTo("dicom_id,study_id,subject_id,split\n"
                + D1 + ",50414267,10000032,train\n" + D2 + ",50414267,10000032,train\n" + D3 + ",57375967,10000764,test\n");
        assertThat(gunzip(out.resolve(ReleaseFiles.CHEXPERT))).isEqualTo("subject_id,study_id,Atelectasis,Cardiomegaly,"
                + "Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,Lung Lesion,Lung Opacity,No Finding,"
                + "Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices\n"
                + "10000032,50414267,-1.0,,,,,,,,1.0,,,,,0.0\n"
                + "10000764,57375967,,,,,,,,,,,,,,\n");
        assertThat(Files.readString(out.resolve(ReleaseFiles.IMAGE_FILENAMES))).isEqualTo(
                "files/p10/p10000032/s50414267/" + D1 + ".jpg\nfiles/p10/p10000032/s50414267/" + D2
                        + ".jpg\nfiles/p10/p10000764/s57375967/" + D3 + ".jpg\n");
        assertThat(r.images()).isEqualTo(3);
        assertThat(r.studies()).isEqualTo(2);
        assertThat(r.subjects()).isEqualTo(2);
        assertThat(r.highWaterMark()).isEqualTo(42);
        assertThat(r.readme()).contains("| all | 3 | 2 | 2 |").contains("conv-1.0: 3").contains("chexpert lab-1.0: 2");
        // SHA256SUMS lists every other file with its real digest
        List<String> sums = Files.readAllLines(out.resolve(ReleaseFiles.SHA256SUMS));
        assertThat(sums).hasSize(6);
        for (String line : sums) {
            String[] p = line.split("  ");
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out.resolve(p[1])))))
                    .isEqualTo(p[0]);
        }
        // gzip header: no name, mtime 0
        byte[] gz = Files.readAllBytes(out.resolve(ReleaseFiles.METADATA));
        assertThat(gz[3]).isZero();
        assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0);
    }

    @Test
    void sameContentGivesSameBytes(@TempDir Path tmp) throws Exception {
        for (String d : List.of("a", "b")) {
            Thread.sleep(1100); // a different wall clock must not matter
            new ReleaseWriter(source(images(), labels(), labels()), null, tmp.resolve("work"))
                    .write(ReleaseSelection.full(), new FolderReleaseSink(tmp.resolve(d)), false,
                            new ReleaseWriter.ReleaseInfo(1, null, "test"));
        }
        for (String f : ReleaseFiles.ALL) {
            assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f))).as(f).isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
        }
    }

    @Test
    void copiesImagesAndListsThemInSha256Sums(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("release");
        new ReleaseWriter(source(images(), labels(), labels()),
                (bucket, key) -> new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)), tmp.resolve("work"))
                .write(ReleaseSelection.full(), new FolderReleaseSink(out), true, new ReleaseWriter.ReleaseInfo(2, null, "t"));
        for (String p : Files.readAllLines(out.resolve(ReleaseFiles.IMAGE_FILENAMES))) {
            assertThat(out.resolve(p)).exists();
        }
        assertThat(Files.readAllLines(out.resolve(ReleaseFiles.SHA256SUMS))).hasSize(9)
                .anyMatch(l -> l.endsWith("  files/p10/p10000764/s57375967/" + D3 + ".jpg"));
    }
}
