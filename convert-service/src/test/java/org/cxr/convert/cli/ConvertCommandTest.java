package org.cxr.convert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.InstanceIds;
import org.cxr.convert.domain.TestDicom;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    private static int run(String... args) {
        return ConvertCommand.run(args);
    }

    private static byte[] image(String sopInstanceUid) {
        Dataset ds = TestDicom.image(40, 50, 16, 12, false, "MONOCHROME2", TestDicom.pattern(40, 50, 12));
        ds.putString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        return TestDicom.write(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void singleFile() throws Exception {
        Path in = tmp.resolve("one.dcm");
        Files.write(in, image("1.2.3.4"));
        Path out = tmp.resolve("one.jpg");
        assertThat(run(in.toString(), out.toString(), "--quiet")).isZero();
        assertThat(Files.readAllBytes(out)).startsWith((byte) 0xFF, (byte) 0xD8);

        Path png = tmp.resolve("one.png");
        assertThat(run(in.toString(), png.toString(), "--png")).isZero();
        assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P');

        Path bad = tmp.resolve("bad.dcm");
        Files.writeString(bad, "hello");
        assertThat(run(bad.toString(), tmp.resolve("bad.jpg").toString())).isEqualTo(1);
        assertThat(tmp.resolve("bad.jpg")).doesNotExist();
    }

    @Test
    void mimicLayoutFolderKeepsIdsAndWritesMetadata() throws Exception {
        Path in = tmp.resolve("in");
        String id1 = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014";
        String id2 = "174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962";
        Path d = Files.createDirectories(in.resolve("files/p10/p10000032/s50414267"));
        Files.write(d.resolve(id1 + ".dcm"), image("1.2.3.1"));
        Files.write(d.resolve(id2 + ".dcm"), image("1.2.3.2"));
        Files.writeString(in.resolve("files/p10/p10000032/s50414267.txt"), "FINAL REPORT");  // reports are skipped
        Path out = tmp.resolve("out");
        assertThat(run(in.toString(), out.toString(), "--workers", "2", "--quiet")).isZero();
        assertThat(out.resolve("files/p10/p10000032/s50414267/" + id1 + ".jpg")).exists();
        assertThat(out.resolve("files/p10/p10000032/s50414267/" + id2 + ".jpg")).exists();
        List<String> csv = Files.readAllLines(out.resolve("metadata.csv"));
        assertThat(csv.get(0)).isEqualTo("dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,"
                + "Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,"
                + "PatientOrientationCodeSequence_CodeMeaning");
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).isEqualTo(id1 + ",10000032,50414267,CHEST (PA AND LAT) – résumé,PA,40,50,21800506,"
                + "80556.875,CHEST (PA AND LAT),postero-anterior,Erect");
    }

    @Test
    void flatFolderIsMirroredAndFailuresAreCounted() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("flat/sub"));
        Files.write(in.resolve("a.dcm"), image("1.2.3.9"));
        Files.write(in.resolve("IM0001"), image("1.2.3.10"));             // no extension: DICOM too
        Files.writeString(in.resolve("broken.dcm"), "not dicom");
        Files.writeString(in.resolve("notes.txt"), "ignored");
        Path out = tmp.resolve("flat-out");
        assertThat(run(tmp.resolve("flat").toString(), out.toString(), "--quiet")).isEqualTo(1);
        assertThat(out.resolve("sub/a.jpg")).exists();
        assertThat(out.resolve("sub/IM0001.jpg")).exists();
        assertThat(Files.readAllLines(out.resolve("failures.csv"))).hasSize(2)
                .anyMatch(l -> l.startsWith("sub/broken.dcm,NOT_DICOM,"));
        List<String> meta = Files.readAllLines(out.resolve("metadata.csv"));
        assertThat(meta).hasSize(3).anyMatch(l -> l.startsWith(InstanceIds.dicomIdFromUid("1.2.3.9") + ",10000032,50414267,"));

        // --fail-fast stops early and still exits non-zero
        assertThat(run(tmp.resolve("flat").toString(), tmp.resolve("ff").toString(), "--fail-fast", "--workers", "1",
                "--quiet")).isEqualTo(1);
        // --png mirrors with .png
        assertThat(run(tmp.resolve("flat").toString(), tmp.resolve("pngs").toString(), "--png", "--quiet")).isEqualTo(1);
        assertThat(tmp.resolve("pngs/sub/a.png")).exists();
    }

    /**
     * One worker decodes a file while a second thread finishes the one before (ConvertCommand#run):
     * every image is the bytes the converter gives one file at a time, every bad file between good
     * ones is reported with its reason, and a memory cap that holds one decoded image but not two
     * (so each decode waits for the finish before it) does not stall it.
     */
    @Test
    @Timeout(120)
    void oneWorkerPipelineKeepsBytesReasonsAndOrder() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("mixed"));
        Converter serial = NativeConverter.standard();
        Map<String, byte[]> expected = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String name = String.format("f%02d.dcm", i);
            byte[] bytes = switch (i % 4) {
                case 1 -> "not dicom".getBytes(StandardCharsets.US_ASCII);
                case 3 -> { // two frames
                    Dataset ds = TestDicom.image(40, 50, 16, 12, false, "MONOCHROME1", TestDicom.pattern(80, 50, 12));
                    ds.putInt(Tag.NumberOfFrames, VR.IS, 2);
                    yield TestDicom.explicitLe(ds);
                }
                default -> {
                    Dataset ds = TestDicom.image(300 + i, 200, 16, 12, false, i % 8 == 0 ? "MONOCHROME1" : "MONOCHROME2",
                            TestDicom.pattern(300 + i, 200, 12 - i % 3));
                    ds.putString(Tag.SOPInstanceUID, VR.UI, "1.2.3." + i);
                    yield TestDicom.explicitLe(ds);
                }
            };
            Files.write(in.resolve(name), bytes);
            if (serial.convert(bytes, null) instanceof Converted c) {
                expected.put(name.replace(".dcm", ".jpg"), c.jpg());
            }
        }
        assertThat(expected).hasSize(6);
        for (String[] memory : new String[][]{{}, {"--memory-mb", "1"}}) {
            Path out = tmp.resolve("mixed-out" + memory.length);
            List<String> args = new ArrayList<>(List.of(in.toString(), out.toString(), "--workers", "1", "--quiet"));
            args.addAll(List.of(memory));
            assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
            for (var e : expected.entrySet()) {
                assertThat(Files.readAllBytes(out.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(Files.readAllLines(out.resolve("failures.csv")).stream().map(l -> l.replaceAll("^([^,]*,[^,]*),.*", "$1")))
                    .containsExactly("file,reason", "f01.dcm,NOT_DICOM", "f03.dcm,MULTI_FRAME", "f05.dcm,NOT_DICOM",
                            "f07.dcm,MULTI_FRAME", "f09.dcm,NOT_DICOM", "f11.dcm,MULTI_FRAME");
            assertThat(Files.readAllLines(out.resolve("metadata.csv"))).hasSize(7);
        }
        // --fail-fast: the file after the first failure is not decoded while the failure is finished
        Path ff = tmp.resolve("mixed-ff");
        assertThat(run(in.toString(), ff.toString(), "--workers", "1", "--fail-fast", "--quiet")).isEqualTo(1);
        assertThat(Files.readAllLines(ff.resolve("metadata.csv"))).hasSize(2);
        assertThat(Files.readAllLines(ff.resolve("failures.csv"))).hasSize(2);
        assertThat(ff.resolve("f02.jpg")).doesNotExist();
    }

    @Test
    void usageErrors() {
        assertThat(run()).isEqualTo(2);
        assertThat(run(tmp.resolve("missing").toString(), tmp.resolve("o").toString())).isEqualTo(2);
        String in = tmp.toString();
        String out = tmp.resolve("o").toString();
        assertThat(run(in, out, "--workers", "0")).isEqualTo(2);
        assertThat(run(in, out, "--workers", "two")).isEqualTo(2);
        assertThat(run(in, out, "--no-such-option")).isEqualTo(2);
        assertThat(run(in)).isEqualTo(2);
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    /**
     * bin/cxr-convert runs the CLI on target/cli-classpath.txt, the CLI's own libraries only: every
     * codec must find its classes there (a generated 8-bit JPEG for the ImageIO path, and the real
     * files of every other syntax when ../shared is there).
     */
    @Test
    void runsOnTheCliClasspathAlone() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("native.dcm"), image("1.2.3.1"));
        BufferedImage gray = new BufferedImage(50, 40, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                gray.getRaster().setSample(x, y, 0, (x * 5 + y * 3) & 0xFF);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(gray, "jpeg", jpeg);
        Files.write(in.resolve("baseline.dcm"), TestDicom.encapsulated(TestDicom.header(40, 50, 8, 8, false,
                "MONOCHROME2"), TransferSyntax.JPEG_BASELINE, List.of(jpeg.toByteArray())));
        int expected = 2;
        Path shared = SharedData.root() == null ? null : SharedData.root().resolve("data/dicom/cr-wg04");
        if (shared != null && Files.isDirectory(shared)) {
            try (Stream<Path> files = Files.list(shared)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, in.resolve(f.getFileName()));
                    expected++;
                }
            }
        }
        String classpath = Path.of("target/classes").toAbsolutePath() + ":"
                + Files.readString(Path.of("target/cli-classpath.txt")).strip();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ConvertCommand.class.getName(), in.toString(), tmp.resolve("out").toString(),
                "--quiet").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("converted " + expected + " of " + expected);
    }

    @Test
    void helpAndVersion() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("--version")).isZero();
            assertThat(run("--help")).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith(Converter.VERSION + "\n")
                .contains("usage: convert IN OUT").contains("--workers <N>").contains("--fail-fast")
                .doesNotContain("--warmup-passes");
    }
}
