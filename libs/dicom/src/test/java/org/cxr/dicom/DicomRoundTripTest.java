package org.cxr.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DicomRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN})
    void nativeSyntaxesRoundTrip(String ts) throws Exception {
        Dataset ds = TestImages.cr(20, 30, 12);
        byte[] first = DicomWriter.toBytes(ds, ts);

        DicomFile read = DicomReader.read(first);
        assertThat(read.transferSyntax().uid()).isEqualTo(ts);
        assertThat(read.transferSyntaxGuessed()).isFalse();
        assertThat(read.warnings()).isEmpty();
        assertThat(read.preamble()).hasSize(128);
        assertSame(read.dataset(), ds);
        // write -> read -> write gives the same bytes
        assertThat(DicomWriter.toBytes(read.dataset(), ts)).isEqualTo(first);

        // from a file: same values, pixel data read lazily
        Path f = tmp.resolve("x.dcm");
        Files.write(f, first);
        DicomFile fromFile = DicomReader.read(f);
        assertSame(fromFile.dataset(), ds);
        assertThat(DicomWriter.toBytes(fromFile.dataset(), ts)).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(strings = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN})
    void fileHeaderPlusEncodedDatasetIsTheWholeFile(String ts) throws Exception {
        Dataset ds = TestImages.cr(6, 5, 12);
        byte[] whole = DicomWriter.toBytes(ds, ts);
        int groupLength = DicomReader.read(whole).fileMeta().getInt(Tag.FileMetaInformationGroupLength).orElseThrow();
        int datasetStart = 132 + 12 + groupLength;
        Dataset meta = new Dataset();
        meta.putString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
        meta.putString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DicomWriter.writeFileHeader(out, meta, ts);
        out.write(whole, datasetStart, whole.length - datasetStart); // the dataset as a DIMSE peer sends it
        assertThat(out.toByteArray()).isEqualTo(whole);
        assertThatThrownBy(() -> DicomWriter.writeFileHeader(new java.io.ByteArrayOutputStream(), new Dataset(), ts))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void convertibleSyntaxesAreKnownAndIncludeEveryNativeOne() {
        assertThat(TransferSyntax.convertible()).hasSize(13)
                .allSatisfy(uid -> assertThat(TransferSyntax.forUid(uid).known()).isTrue())
                .contains(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                        TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.JPEG_2000)
                .doesNotContain("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.100");
    }

    @Test
    void fileMetaHasCorrectGroupLengthAndUids() throws Exception {
        Dataset ds = TestImages.cr(4, 4, 8);
        DicomFile f = DicomReader.read(DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Dataset meta = f.fileMeta();
        int groupLength = meta.getInt(Tag.FileMetaInformationGroupLength).orElseThrow();
        // meta starts at 132; group length counts the bytes after its own 12-byte element
        int metaBytes = 0;
        byte[] bytes = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        for (int p = 132 + 12; p < bytes.length; ) {
            int group = (bytes[p] & 0xFF) | (bytes[p + 1] & 0xFF) << 8;
            if (group != 2) {
                metaBytes = p - 144;
                break;
            }
            VR vr = VR.of(bytes[p + 4], bytes[p + 5]);
            int len = vr.hasLongHeader()
                    ? (bytes[p + 8] & 0xFF) | (bytes[p + 9] & 0xFF) << 8 : (bytes[p + 6] & 0xFF) | (bytes[p + 7] & 0xFF) << 8;
            p += (vr.hasLongHeader() ? 12 : 8) + len;
        }
        assertThat(groupLength).isEqualTo(metaBytes);
        assertThat(meta.getString(Tag.MediaStorageSOPClassUID)).isEqualTo(UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE);
        assertThat(meta.getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo("1.2.826.0.1.3680043.8.498.1");
        assertThat(meta.getString(Tag.ImplementationClassUID)).isEqualTo(UID.IMPLEMENTATION_CLASS_UID);
    }

    @Test
    void encapsulatedRoundTripKeepsFragmentsAndOffsetTable() throws Exception {
        Dataset ds = TestImages.cr(8, 8, 8);
        byte[] f1 = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};  // odd: padded
        byte[] f2 = {(byte) 0xFF, (byte) 0xD8, 4, 5, (byte) 0xFF, (byte) 0xD9};
        ds.putPixelData(VR.OB, PixelData.ofFrames(List.of(f1, f2)));
        ds.putInt(Tag.NumberOfFrames, VR.IS, 2);
        byte[] bytes = DicomWriter.toBytes(ds, TransferSyntax.JPEG_BASELINE);

        for (DicomFile read : List.of(DicomReader.read(bytes), readFile(bytes))) {
            PixelData px = read.pixelData();
            assertThat(px.isEncapsulated()).isTrue();
            assertThat(px.isComplete()).isTrue();
            assertThat(px.fragments()).hasSize(2);
            assertThat(px.basicOffsetTable()).containsExactly(0, 8 + 8);
            byte[] padded = java.util.Arrays.copyOf(f1, 8);
            assertThat(px.readFrame(0, 2)).isEqualTo(padded);
            assertThat(px.readFrame(1, 2)).isEqualTo(f2);
            assertThat(DicomWriter.toBytes(read.dataset(), TransferSyntax.JPEG_BASELINE)).isEqualTo(bytes);
        }
    }

    @Test
    void pixelDataIsNotTranscoded() {
        Dataset ds = TestImages.cr(4, 4, 8);
        assertThatThrownBy(() -> DicomWriter.toBytes(ds, TransferSyntax.JPEG_BASELINE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no transcoding");
    }

    @Test
    void copyOfReceivedFileKeepsPixelBytesUntouched() throws Exception {
        Dataset ds = TestImages.cr(16, 16, 12);
        byte[] original = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomFile read = readFile(original);
        Dataset copy = read.dataset().copy();
        copy.putString(Tag.PatientName, VR.PN, "ANON");
        copy.remove(Tag.PatientID);
        copy.putString(Tag.of(0x0009, 0x0010), VR.LO, "ACME");
        copy.removeIf(e -> Tag.isPrivate(e.tag()));
        assertThat(copy.contains(Tag.of(0x0009, 0x0010))).isFalse();
        Path out = tmp.resolve("copy.dcm");
        DicomWriter.write(out, read.fileMeta(), copy, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomFile again = DicomReader.read(Files.readAllBytes(out));
        assertThat(again.dataset().getString(Tag.PatientName)).isEqualTo("ANON");
        assertThat(again.dataset().contains(Tag.PatientID)).isFalse();
        assertThat(again.pixelData().readNative()).isEqualTo(read.pixelData().readNative());
    }

    @Test
    void utf8AndOtherCharacterSetsRoundTrip() throws Exception {
        for (String[] cs : new String[][]{{"ISO_IR 192", "Ŝtudento^Ĉiŝo^日本"}, {"ISO_IR 144", "Иванов^Иван"},
                {"ISO_IR 100", "Ørsted^Åse"}, {"ISO_IR 126", "Διονυσιος"}}) {
            Dataset ds = new Dataset();
            ds.putString(Tag.SpecificCharacterSet, VR.CS, cs[0]);
            ds.putString(Tag.PatientName, VR.PN, cs[1]);
            ds.putCode(Tag.ViewCodeSequence, "X", "99", cs[1]);
            DicomFile f = DicomReader.read(DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            assertThat(f.dataset().getString(Tag.PatientName)).isEqualTo(cs[1]);
            assertThat(f.dataset().codeMeaning(Tag.ViewCodeSequence)).as("items inherit the character set").isEqualTo(cs[1]);
        }
    }

    private DicomFile readFile(byte[] bytes) throws IOException, DicomException {
        Path f = Files.createTempFile(tmp, "f", ".dcm");
        Files.write(f, bytes);
        return DicomReader.read(f);
    }

    static byte[] littleEndian(PixelData px) throws IOException {
        byte[] v = px.readNative();
        if (px.isBigEndian() && px.vr() == VR.OW) {
            for (int i = 0; i + 1 < v.length; i += 2) {
                byte t = v[i];
                v[i] = v[i + 1];
                v[i + 1] = t;
            }
        }
        return v;
    }

    /** The values the platform uses are equal. */
    static void assertSame(Dataset read, Dataset expected) throws IOException {
        for (DicomElement e : expected.elements()) {
            DicomElement r = read.get(e.tag());
            assertThat(r).as(Tag.toString(e.tag())).isNotNull();
            if (e.isSequence()) {
                assertThat(r.items()).hasSameSizeAs(e.items());
                for (int i = 0; i < e.items().size(); i++) {
                    assertSame(r.items().get(i), e.items().get(i));
                }
            } else if (e.isPixelData()) {
                assertThat(littleEndian(r.pixelData())).isEqualTo(littleEndian(e.pixelData()));
            } else if (e.vr().isString()) {
                assertThat(read.getString(e.tag())).as(Tag.toString(e.tag())).isEqualTo(expected.getString(e.tag()));
            } else {
                assertThat(read.getString(e.tag())).as(Tag.toString(e.tag())).isEqualTo(expected.getString(e.tag()));
                assertThat(r.vr()).isEqualTo(e.vr());
            }
        }
        assertThat(read.size()).isEqualTo(expected.size());
    }
}
