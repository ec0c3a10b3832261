package org.cxr.catalog.domain.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.cxr.catalog.domain.format.MimicFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MimicFormatTest {

    @Test
    void studyTimeLikePandas() {
        assertThat(MimicFormat.studyTime("080556.875")).isEqualTo("80556.875");
        assertThat(MimicFormat.studyTime("080556")).isEqualTo("80556.0");
        assertThat(MimicFormat.studyTime("213014.531000")).isEqualTo("213014.531");
        assertThat(MimicFormat.studyTime("000000")).isEqualTo("0.0");
        assertThat(MimicFormat.studyTime("0000")).isEqualTo("0.0");
        assertThat(MimicFormat.studyTime("000000.000050")).isEqualTo("5e-05");
        assertThat(MimicFormat.studyTime("08:05:56.5")).isEqualTo("80556.5");
        assertThat(MimicFormat.studyTime(" 1203 ")).isEqualTo("1203.0");
        assertThat(MimicFormat.studyTime("120301\\130000")).isEqualTo("120301.0");
        assertThat(MimicFormat.studyTime(null)).isEmpty();
        assertThat(MimicFormat.studyTime("")).isEmpty();
        assertThat(MimicFormat.studyTime("noon")).isEmpty();
    }

    @Test
    void studyDateAsInteger() {
        assertThat(MimicFormat.studyDate("21800506")).isEqualTo("21800506");
        assertThat(MimicFormat.studyDate("2180.05.06")).isEqualTo("21800506");
        assertThat(MimicFormat.studyDate(" 21800506 ")).isEqualTo("21800506");
        assertThat(MimicFormat.studyDate("218005")).isEmpty();
        assertThat(MimicFormat.studyDate(null)).isEmpty();
        assertThat(MimicFormat.studyDateValue("21800506")).hasToString("2180-05-06");
        assertThat(MimicFormat.studyDateValue("21801399")).isNull();
    }

    @Test
    void labels() {
        assertThat(MimicFormat.label((short) 1)).isEqualTo("1.0");
        assertThat(MimicFormat.label((short) 0)).isEqualTo("0.0");
        assertThat(MimicFormat.label((short) -1)).isEqualTo("-1.0");
        assertThat(MimicFormat.label(null)).isEmpty();
    }

    @Test
    void pythonReprEdgeCases() {
        assertThat(MimicFormat.pythonFloatRepr(1e16)).isEqualTo("1e+16");
        assertThat(MimicFormat.pythonFloatRepr(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(MimicFormat.pythonFloatRepr(0.1)).isEqualTo("0.1");
        assertThat(MimicFormat.pythonFloatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(MimicFormat.pythonFloatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(MimicFormat.pythonFloatRepr(2.0 / 3)).isEqualTo("0.6666666666666666");
        assertThat(MimicFormat.pythonFloatRepr(-1.5)).isEqualTo("-1.5");
    }

    /** Thousands of random DICOM TM strings against Python's own repr(float(s)). */
    @Test
    void studyTimeMatchesPythonOnRandomTimes() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "SKIPPED: /usr/bin/python3 is not installed");
        Random rnd = new Random(42);
        List<String> tms = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String base = String.format("%02d%02d%02d", rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
            int frac = rnd.nextInt(8);
            StringBuilder s = new StringBuilder(base);
            if (frac > 0 && frac < 7) {
                s.append('.');
                for (int k = 0; k < frac; k++) {
                    s.append(rnd.nextInt(10));
                }
            }
            tms.add(s.toString());
        }
        Path in = Files.createTempFile("tm", ".txt");
        Files.write(in, tms, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import sys\nfor l in open(sys.argv[1]):\n    print(repr(float(l.strip())))", in.toString())
                .redirectErrorStream(true).start();
        List<String> expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Files.delete(in);
        assertThat(expected).hasSize(tms.size());
        for (int i = 0; i < tms.size(); i++) {
            assertThat(MimicFormat.studyTime(tms.get(i))).as(tms.get(i)).isEqualTo(expected.get(i));
        }
    }
}
