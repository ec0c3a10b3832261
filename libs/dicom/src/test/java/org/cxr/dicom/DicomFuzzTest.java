package org.cxr.dicom;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated inputs (truncations, byte flips, absurd lengths, endless sequences) must end in a result
 * or a {@link DicomException}, quickly: never another exception, an OutOfMemoryError, a
 * StackOverflowError or a hang.
 */
class DicomFuzzTest {
    @TempDir
    Path tmp;

    private final Map<DicomException.Reason, Integer> reasons = new EnumMap<>(DicomException.Reason.class);
    private int parsed;

    @Test
    void mutationsOfGeneratedFiles() {
        List<byte[]> seeds = new ArrayList<>();
        Dataset ds = TestImages.cr(24, 24, 12);
        for (String ts : new String[]{TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            seeds.add(DicomWriter.toBytes(ds, ts));
        }
        Dataset enc = TestImages.cr(8, 8, 8);
        enc.putPixelData(VR.OB, PixelData.ofFrames(List.of(new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9},
                new byte[]{(byte) 0xFF, (byte) 0xD8, 3, 4, (byte) 0xFF, (byte) 0xD9})));
        enc.putInt(Tag.NumberOfFrames, VR.IS, 2);
        seeds.add(DicomWriter.toBytes(enc, TransferSyntax.JPEG_BASELINE));
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fuzz(seeds, 200));
    }

    @Test
    void mutationsOfRealFiles() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (Path f : SharedTestData.dicomFiles()) {
            if (Files.size(f) <= 200_000) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> fuzz(seeds, 100));
    }

    private void fuzz(List<byte[]> seeds, int perKind) throws Exception {
        Random rnd = new Random(20261127);
        for (byte[] seed : seeds) {
            // truncation at ~perKind evenly spaced points
            int step = Math.max(1, seed.length / perKind);
            for (int n = 0; n < seed.length; n += step) {
                attempt(java.util.Arrays.copyOf(seed, n));
            }
            // random byte flips
            for (int i = 0; i < perKind; i++) {
                byte[] m = seed.clone();
                for (int k = 0, flips = 1 + rnd.nextInt(8); k < flips; k++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                attempt(m);
            }
            // absurd 16- and 32-bit lengths at random 2-aligned positions
            for (int i = 0; i < perKind; i++) {
                byte[] m = seed.clone();
                int p = rnd.nextInt(Math.max(1, m.length - 4)) & ~1;
                int v = switch (i % 4) {
                    case 0 -> 0xFFFFFFFF;
                    case 1 -> 0x7FFFFFFE;
                    case 2 -> 0xFFFF;
                    default -> rnd.nextInt();
                };
                for (int k = 0; k < 4 && p + k < m.length; k++) {
                    m[p + k] = (byte) (v >>> (8 * k));
                }
                attempt(m);
            }
        }
        // some through the file path (prefix reads, lazy pixel data)
        for (int i = 0; i < 50; i++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] m = java.util.Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
            Path f = tmp.resolve("m" + i + ".dcm");
            Files.write(f, m);
            try {
                touch(DicomReader.read(f));
            } catch (DicomException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
            }
        }
        assertThat(parsed + reasons.values().stream().mapToInt(Integer::intValue).sum()).isPositive();
        System.out.println("fuzz: parsed " + parsed + ", rejected " + reasons);
    }

    private void attempt(byte[] data) {
        try {
            touch(DicomReader.read(data));
            parsed++;
        } catch (DicomException e) {
            assertThat(e.getMessage()).isNotBlank();
            reasons.merge(e.reason(), 1, Integer::sum);
        }
    }

    /** Uses the result the way callers do: typed getters and the pixel data. */
    private static void touch(DicomFile f) {
        Dataset d = f.dataset();
        d.getString(Tag.PatientName);
        d.getInt(Tag.Rows);
        d.getInt(Tag.NumberOfFrames);
        d.codeMeaning(Tag.ViewCodeSequence);
        d.toString();
        PixelData px = f.pixelData();
        if (px == null) {
            return;
        }
        try {
            if (px.isEncapsulated()) {
                if (!px.fragments().isEmpty()) {
                    px.readFrame(0, Math.max(1, Math.min(d.getInt(Tag.NumberOfFrames, 0, 1), 1000)));
                }
            } else if (px.availableLength() < 64 << 20) {
                px.readNative();
            }
        } catch (IOException e) {
            // a frame that is not there: the caller reports it
        }
    }
}
