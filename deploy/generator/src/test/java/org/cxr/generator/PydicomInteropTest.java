package org.cxr.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.image.ImageSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An independent reader: Debian's pydicom (its own RLE/JPEG/native handlers, then GDCM) decodes the
 * generated files to exactly the pixel values the generator wrote (JPEG: close to them). Skipped,
 * with a message, where /usr/bin/python3 with pydicom, numpy and GDCM is absent.
 */
class PydicomInteropTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void pydicomAndGdcmDecodeEveryTransferSyntaxToTheWrittenValues(@TempDir Path dir) throws Exception {
        assumePydicom();
        List<Map<String, Object>> cases = new ArrayList<>();
        Set<EncodedSyntax> syntaxes = EnumSet.noneOf(EncodedSyntax.class);
        boolean signed = false;
        boolean eightBit = false;
        for (GeneratedStudy s : new StudyGenerator(23, GeneratorOptions.defaults().withMaxSize(130, 110)).studies(70).toList()) {
            for (GeneratedInstance in : s.instances()) {
                ImageSpec img = in.image();
                if (cases.size() > 40 && syntaxes.contains(img.syntax())) {
                    continue;
                }
                Path dcm = dir.resolve(in.dicomId() + ".dcm");
                Path raw = dir.resolve(in.dicomId() + ".raw");
                Files.write(dcm, in.bytes());
                Files.write(raw, in.pixelData());
                syntaxes.add(img.syntax());
                signed |= img.pixelRepresentation() == 1;
                eightBit |= img.bitsAllocated() == 8;
                cases.add(Map.of("file", dcm.toString(), "raw", raw.toString(), "bytes", img.bytesPerSample(),
                        "signed", img.pixelRepresentation() == 1, "lossy", img.syntax() == EncodedSyntax.JPEG_BASELINE,
                        "syntax", img.syntax().cliName()));
            }
        }
        assertThat(syntaxes).isEqualTo(EnumSet.allOf(EncodedSyntax.class));
        assertThat(signed && eightBit).isTrue();
        ObjectMapper json = new ObjectMapper();
        Path casesFile = dir.resolve("cases.json");
        json.writeValue(casesFile.toFile(), cases);
        Path script = dir.resolve("compare_pixels.py");
        try (InputStream in = getClass().getResourceAsStream("compare_pixels.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), casesFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode result = json.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
        assertThat(result.get("failures")).as(out).isEmpty();
        assertThat(result.get("checked")).hasSize(2 * cases.size());
    }

    private static void assumePydicom() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON));
        if (present) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import pydicom, numpy, gdcm").redirectErrorStream(true).start();
            present = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(present, "SKIPPED: needs " + PYTHON + " with pydicom, numpy and GDCM"
                + " (Debian: apt-get install python3-pydicom python3-numpy python3-gdcm)");
    }
}
