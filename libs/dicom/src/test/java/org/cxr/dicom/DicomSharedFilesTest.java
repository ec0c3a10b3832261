package org.cxr.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.cxr.dicom.DicomException.Reason;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every real file in ../shared/data/dicom: header values equal pydicom's; broken ones fail with their reason. */
class DicomSharedFilesTest {
    /** Files that cannot be read, and why (pydicom reads some of them by ignoring the damage). */
    static final Map<String, Reason> EXPECTED_FAILURES = Map.of(
            "edge-cases/no_meta.dcm", Reason.NOT_DICOM,            // a stray byte before the first tag
            "edge-cases/GH179A.dcm", Reason.TRUNCATED,             // header says 512x512, file ends in the header
            "edge-cases/GH626.dcm", Reason.TRUNCATED,              // (0000,0000) claims 337 MB
            "edge-cases/rtplan_truncated.dcm", Reason.TRUNCATED);

    private static String rel(Path dir, Path f) {
        return dir.relativize(f).toString().replace('\\', '/');
    }

    @Test
    void everyFileReadsOrFailsWithItsReason() throws Exception {
        Path dir = SharedTestData.dicomDir();
        for (Path f : SharedTestData.dicomFiles()) {
            String name = rel(dir, f);
            Reason expected = EXPECTED_FAILURES.get(name);
            for (boolean fromPath : new boolean[]{true, false}) {
                try {
                    DicomFile df = fromPath ? DicomReader.read(f) : DicomReader.read(Files.readAllBytes(f));
                    assertThat(expected).as(name + " should fail with " + expected).isNull();
                    PixelData px = df.pixelData();
                    if (px != null && px.isEncapsulated() && px.isComplete()) {
                        int frames = df.dataset().getInt(Tag.NumberOfFrames, 0, 1);
                        assertThat(px.readFrame(0, frames)).as(name).isNotEmpty();
                    } else if (px != null && px.isComplete()) {
                        assertThat(px.readNative()).as(name).hasSize((int) px.declaredLength());
                    }
                } catch (DicomException e) {
                    assertThat(e.reason()).as(name + ": " + e.getMessage()).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void knownValues() throws Exception {
        Path dir = SharedTestData.dicomDir();
        Dataset ct = DicomReader.read(dir.resolve("syntax-small/CT_small.dcm")).dataset();
        assertThat(ct.getInt(Tag.PixelRepresentation).getAsInt()).isEqualTo(1);
        assertThat(ct.getString(Tag.Modality)).isEqualTo("CT");
        DicomFile be = DicomReader.read(dir.resolve("syntax-small/MR_small_bigendian.dcm"));
        assertThat(be.transferSyntax().bigEndian()).isTrue();
        assertThat(be.dataset().getInt(Tag.Rows).getAsInt()).isEqualTo(64);
        DicomFile raw = DicomReader.read(dir.resolve("chest/CR-MONO1-10-chest.dcm"));
        assertThat(raw.hasFileMeta()).isFalse();
        assertThat(raw.dataset().getString(Tag.PhotometricInterpretation)).isEqualTo("MONOCHROME1");
        DicomFile dfl = DicomReader.read(dir.resolve("syntax-small/image_dfl.dcm"));
        assertThat(dfl.transferSyntax().deflated()).isTrue();
        assertThat(dfl.pixelData().readNative()).hasSize(512 * 512);
        DicomFile beNoMeta = DicomReader.read(dir.resolve("edge-cases/ExplVR_BigEndNoMeta.dcm"));
        assertThat(beNoMeta.transferSyntax().uid()).isEqualTo(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertThat(beNoMeta.dataset().getString(Tag.Modality)).isEqualTo("RTPLAN");
        Dataset bad = DicomReader.read(dir.resolve("edge-cases/badVR.dcm")).dataset();
        assertThat(bad.getString(Tag.NumberOfFrames)).isEqualTo("1A");
        assertThat(bad.getInt(Tag.NumberOfFrames)).isEmpty();
        DicomFile un = DicomReader.read(dir.resolve("edge-cases/UN_sequence.dcm"));
        assertThat(un.dataset().get(Tag.of(0x4453, 0x100C)).items()).hasSize(1);
        DicomFile xa = DicomReader.read(dir.resolve("syntax-small/jpeg_baseline_8bit_XA_multiframe.dcm"));
        assertThat(xa.pixelData().fragments()).hasSize(96);
        byte[] frame95 = xa.pixelData().readFrame(95, 96);
        assertThat(frame95[0] & 0xFF).isEqualTo(0xFF);
        assertThat(frame95[1] & 0xFF).isEqualTo(0xD8);
    }

    @Test
    void headerValuesEqualPydicom() throws Exception {
        Path dir = SharedTestData.dicomDir();
        Path python = SharedTestData.pythonWithPydicom();
        Assumptions.assumeTrue(python != null, "SKIPPED: needs /usr/bin/python3 with pydicom (Debian python3-pydicom)");
        Path script = Files.createTempFile("pydicom_values", ".py");
        try (InputStream in = getClass().getResourceAsStream("pydicom_values.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString()));
        for (Path f : SharedTestData.dicomFiles()) {
            cmd.add(rel(dir, f));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        Files.delete(script);

        Map<String, Dataset> datasets = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", 4);
            String file = cols[0];
            if (EXPECTED_FAILURES.containsKey(file)) {
                continue;
            }
            if (cols[1].equals("ERROR")) {
                continue;
            }
            Dataset ds = datasets.computeIfAbsent(file, f -> {
                try {
                    return DicomReader.read(dir.resolve(f)).dataset();
                } catch (DicomException e) {
                    fail(f + ": " + e.getMessage());
                    return null;
                }
            });
            String expected = unjson(cols[3]);
            String actual;
            if (cols[1].contains("/")) {
                actual = ds.codeMeaning((int) Long.parseLong(cols[1].substring(0, 8), 16));
            } else {
                actual = String.join("\\", ds.getStrings((int) Long.parseLong(cols[1], 16)));
            }
            compared++;
            if (actual == null || !actual.strip().equals(expected)) {
                mismatches.add(file + " " + cols[1] + " " + cols[2] + ": pydicom '" + expected + "' ours '" + actual + "'");
            }
        }
        assertThat(compared).isGreaterThan(1000);
        assertThat(mismatches).as("values that differ from pydicom's").isEmpty();
    }

    /** A JSON string literal's value. */
    private static String unjson(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
