package org.cxr.convert.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Bad input never takes the converter down: truncations, byte flips, absurd lengths and absurd
 * Rows x Columns in real and generated files all end in a result (a Failed with a reason, or a
 * conversion), in bounded time and memory.
 */
class ConverterFuzzTest {
    private final Converter converter = NativeConverter.create(new MemoryBudget(256L << 20), Converter.Options.DEFAULT);
    private final Map<ConversionFailure, Integer> reasons = new EnumMap<>(ConversionFailure.class);
    private int converted;

    @Test
    void generatedFiles() {
        List<byte[]> seeds = new ArrayList<>();
        for (String ts : new String[]{TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            seeds.add(TestDicom.write(TestDicom.image(32, 32, 16, 12, false, "MONOCHROME1", TestDicom.pattern(32, 32, 12)), ts));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> fuzz(seeds, 80));
    }

    @Test
    void absurdImageSizesOnSmallFiles() {
        for (int[] size : new int[][]{{65535, 65535}, {65535, 1}, {0, 100}, {3000, 3000}}) {
            Dataset ds = TestDicom.image(8, 8, 16, 12, false, "MONOCHROME2", new int[64]);
            ds.putInt(Tag.Rows, VR.US, size[0]);
            ds.putInt(Tag.Columns, VR.US, size[1]);
            ConversionResult r = converter.convert(TestDicom.explicitLe(ds), null);
            assertThat(r).isInstanceOf(Failed.class);
            assertThat(((Failed) r).reason()).isIn(ConversionFailure.TOO_LARGE, ConversionFailure.TRUNCATED, ConversionFailure.MALFORMED);
        }
    }

    @Test
    void realFiles() throws IOException {
        Path dir = SharedData.require("data/dicom");
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                if (Files.size(p) <= 60_000) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
        }
        assertTimeoutPreemptively(Duration.ofSeconds(400), () -> fuzz(seeds, 12));
    }

    private void fuzz(List<byte[]> seeds, int perKind) {
        Random rnd = new Random(7);
        for (byte[] seed : seeds) {
            int step = Math.max(1, seed.length / perKind);
            for (int n = 0; n < seed.length; n += step) {
                attempt(java.util.Arrays.copyOf(seed, n));
            }
            for (int i = 0; i < perKind; i++) {
                byte[] m = seed.clone();
                for (int k = 0, flips = 1 + rnd.nextInt(6); k < flips; k++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                attempt(m);
            }
            for (int i = 0; i < perKind; i++) {
                byte[] m = seed.clone();
                int p = rnd.nextInt(Math.max(1, m.length - 4)) & ~1;
                int v = i % 2 == 0 ? 0xFFFF : 0xFFFFFFFF;
                for (int k = 0; k < 4 && p + k < m.length; k++) {
                    m[p + k] = (byte) (v >>> (8 * k));
                }
                attempt(m);
            }
        }
        System.out.println("converter fuzz: converted " + converted + ", failed " + reasons);
    }

    private void attempt(byte[] data) {
        ConversionResult r = converter.convert(data, null);
        assertThat(r).isNotNull();
        if (r instanceof Failed f) {
            assertThat(f.message()).isNotBlank();
            reasons.merge(f.reason(), 1, Integer::sum);
        } else {
            converted++;
        }
    }
}
