package org.cxr.convert.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.domain.metadata.MetadataFormat;
import org.cxr.convert.domain.recipe.EightBitImage;
import org.cxr.convert.domain.recipe.MimicCxrRecipe;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.convert.natives.OpenCvEncoder;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConverterTest {
    private static final InstanceIds IDS = new InstanceIds("02aa804e-bde0afdd-112c0b34-7bc16630-4e384014",
            "10000032", "50414267");

    @TempDir
    Path tmp;

    private final Converter converter = NativeConverter.create(new MemoryBudget(64 << 20), Converter.Options.DEFAULT.withPng(true).withKeepImage(true));

    @ParameterizedTest
    @ValueSource(strings = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN})
    void convertsEveryNativeSyntaxTheSame(String ts) throws Exception {
        int[] values = TestDicom.pattern(60, 80, 12);
        byte[] dicom = TestDicom.write(TestDicom.image(60, 80, 16, 12, false, "MONOCHROME2", values), ts);
        Path f = tmp.resolve("x.dcm");
        Files.write(f, dicom);
        for (ConversionResult r : List.of(converter.convert(dicom, IDS), converter.convert(f, IDS))) {
            Converted c = (Converted) r;
            EightBitImage expected = MimicCxrRecipe.equalizeHist(
                    MimicCxrRecipe.rescale(60, 80, values, false, false).image());
            assertThat(c.image().pixels()).isEqualTo(expected.pixels());
            assertThat(c.rows()).isEqualTo(60);
            assertThat(c.columns()).isEqualTo(80);
            assertThat(c.jpg()).startsWith((byte) 0xFF, (byte) 0xD8);
            assertThat(c.png()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(c.constantImage()).isFalse();
            assertThat(c.timings().totalNanos()).isPositive();
        }
    }

    @Test
    void monochrome1IsInvertedAfterTheRescaleAndLutsAreIgnored() {
        int[] values = TestDicom.pattern(30, 30, 10);
        Converted m1 = (Converted) converter.convert(TestDicom.explicitLe(
                TestDicom.image(30, 30, 16, 10, false, "MONOCHROME1", values)), IDS);
        EightBitImage rescaled = MimicCxrRecipe.rescale(30, 30, values, false, false).image();
        byte[] inverted = rescaled.pixels().clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = (byte) (255 - (inverted[i] & 0xFF));
        }
        assertThat(m1.image().pixels()).isEqualTo(
                MimicCxrRecipe.equalizeHist(new EightBitImage(30, 30, inverted)).pixels());
    }

    @Test
    void signedPixelsUseStoredValues() {
        int[] values = {-2048, -1, 0, 2047, 100, -100};
        Converted c = (Converted) converter.convert(TestDicom.explicitLe(
                TestDicom.image(2, 3, 16, 12, true, "MONOCHROME2", values)), IDS);
        assertThat(c.image().pixels()).isEqualTo(MimicCxrRecipe.equalizeHist(
                MimicCxrRecipe.rescale(2, 3, values, false, false).image()).pixels());
    }

    @Test
    void constantImageConvertsAndIsFlagged() {
        int[] values = new int[16];
        Arrays.fill(values, 300);
        Converted c = (Converted) converter.convert(TestDicom.explicitLe(
                TestDicom.image(4, 4, 16, 12, false, "MONOCHROME2", values)), IDS);
        assertThat(c.constantImage()).isTrue();
        assertThat(c.image().pixels()).containsOnly(0);
    }

    @Test
    void metadataHasThePublishedColumns() {
        Converted c = (Converted) converter.convert(TestDicom.explicitLe(
                TestDicom.image(4, 5, 8, 8, false, "MONOCHROME2", new int[20])), IDS);
        assertThat(MetadataFormat.row(c.ids(), c.metadata())).containsExactly(
                IDS.dicomId(), "10000032", "50414267", "CHEST (PA AND LAT) – résumé", "PA", "4", "5", "21800506",
                "80556.875", "CHEST (PA AND LAT)", "postero-anterior", "Erect");
        Dataset bare = TestDicom.header(4, 5, 8, 8, false, "MONOCHROME2");
        bare.remove(Tag.ViewCodeSequence);
        bare.remove(Tag.StudyTime);
        bare.putPixelData(VR.OB, org.cxr.dicom.PixelData.ofNative(new byte[20], VR.OB));
        Converted r = (Converted) converter.convert(TestDicom.explicitLe(bare), null);
        List<String> row = MetadataFormat.row(r.ids(), r.metadata());
        assertThat(row.get(0)).isEqualTo(InstanceIds.dicomIdFromUid("1.2.826.0.1.3680043.8.498.77"));
        assertThat(row.get(1)).isEqualTo("10000032");      // PatientID of the published shape
        assertThat(row.get(8)).isEmpty();
        assertThat(row.get(10)).isEmpty();
    }

    @Test
    void failuresHaveReasons() {
        Dataset noPixels = TestDicom.header(4, 4, 16, 12, false, "MONOCHROME2");
        assertReason(TestDicom.explicitLe(noPixels), ConversionFailure.NO_PIXEL_DATA);

        assertReason("not a dicom file at all, just text".getBytes(), ConversionFailure.NOT_DICOM);

        Dataset rgb = TestDicom.image(2, 2, 8, 8, false, "RGB", new int[12]);
        rgb.putInt(Tag.SamplesPerPixel, VR.US, 3);
        assertReason(TestDicom.explicitLe(rgb), ConversionFailure.UNSUPPORTED_IMAGE);

        Dataset multi = TestDicom.image(2, 2, 8, 8, false, "MONOCHROME2", new int[8]);
        multi.putInt(Tag.NumberOfFrames, VR.IS, 2);
        assertReason(TestDicom.explicitLe(multi), ConversionFailure.MULTI_FRAME);

        Dataset badFrames = TestDicom.image(2, 2, 8, 8, false, "MONOCHROME2", new int[4]);
        badFrames.putString(Tag.NumberOfFrames, VR.IS, "1A");
        assertReason(TestDicom.explicitLe(badFrames), ConversionFailure.MALFORMED);

        Dataset noPhotometric = TestDicom.image(2, 2, 8, 8, false, "MONOCHROME2", new int[4]);
        noPhotometric.remove(Tag.PhotometricInterpretation);
        assertReason(TestDicom.explicitLe(noPhotometric), ConversionFailure.MALFORMED);

        Dataset oneBit = TestDicom.image(2, 2, 8, 1, false, "MONOCHROME2", new int[4]);
        oneBit.putInt(Tag.BitsAllocated, VR.US, 1);
        assertReason(TestDicom.explicitLe(oneBit), ConversionFailure.UNSUPPORTED_IMAGE);

        byte[] full = TestDicom.explicitLe(TestDicom.image(64, 64, 16, 12, false, "MONOCHROME2", new int[64 * 64]));
        assertReason(Arrays.copyOf(full, full.length - 100), ConversionFailure.TRUNCATED);

        // 65535 x 65535 declared on a 1 KB file: rejected before any pixel allocation
        Dataset absurd = TestDicom.image(4, 4, 16, 16, false, "MONOCHROME2", new int[16]);
        absurd.putInt(Tag.Rows, VR.US, 65535);
        absurd.putInt(Tag.Columns, VR.US, 65535);
        byte[] small = TestDicom.explicitLe(absurd);
        assertThat(small.length).isLessThan(2048);
        assertReason(small, ConversionFailure.TOO_LARGE);

        Dataset enc = TestDicom.header(2, 2, 8, 8, false, "MONOCHROME2");
        assertReason(TestDicom.encapsulated(enc, "1.2.840.10008.1.2.4.999", List.of(new byte[]{1, 2})),
                ConversionFailure.UNSUPPORTED_TRANSFER_SYNTAX);

        Dataset garbage = TestDicom.header(8, 8, 8, 8, false, "MONOCHROME2");
        assertReason(TestDicom.encapsulated(garbage, TransferSyntax.JPEG_BASELINE, List.of(new byte[]{1, 2, 3, 4})),
                ConversionFailure.DECODE_ERROR);
    }

    @Test
    void jpegIsEncodedOnceWithOpenCvQuality95() {
        int[] values = TestDicom.pattern(100, 120, 12);
        Converted c = (Converted) converter.convert(TestDicom.explicitLe(
                TestDicom.image(100, 120, 16, 12, false, "MONOCHROME2", values)), IDS);
        assertThat(c.jpg()).isEqualTo(new OpenCvEncoder().jpeg(c.image(), 95));
    }

    @Test
    void memoryBudgetBoundsConcurrentDecodes() throws Exception {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        try (MemoryBudget.Lease a = budget.acquire(600 << 10)) {
            Thread t = new Thread(() -> {
                try (MemoryBudget.Lease b = budget.acquire(600 << 10)) {
                    // acquired only after a is released
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            t.join(200);
            assertThat(t.isAlive()).as("second lease waits").isTrue();
            a.close();
            t.join(5000);
            assertThat(t.isAlive()).isFalse();
        }
        // a request larger than the budget takes all of it instead of deadlocking
        try (MemoryBudget.Lease big = budget.acquire(10L << 30)) {
            assertThat(big).isNotNull();
        }
    }

    private void assertReason(byte[] dicom, ConversionFailure reason) {
        ConversionResult r = converter.convert(dicom, IDS);
        assertThat(r).isInstanceOf(Failed.class);
        Failed f = (Failed) r;
        assertThat(f.reason()).as(f.message()).isEqualTo(reason);
        assertThat(f.message()).isNotBlank();
    }
}
