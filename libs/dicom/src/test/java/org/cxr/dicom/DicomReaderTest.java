package org.cxr.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cxr.dicom.DicomException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReaderTest {
    @TempDir
    Path tmp;

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test
    void rawImplicitLittleEndianWithoutPreambleOrMeta() throws Exception {
        byte[] data = RawBytes.le()
                .implicit(Tag.of(0x0008, 0), new byte[]{18, 0, 0, 0})
                .implicit(Tag.Modality, "CR")
                .implicit(Tag.StudyDate, "19950101")
                .implicit(Tag.Rows, new byte[]{2, 0}).implicit(Tag.Columns, new byte[]{2, 0})
                .implicit(Tag.PixelData, new byte[]{1, 2, 3, 4}).toByteArray();
        DicomFile f = DicomReader.read(data);
        assertThat(f.preamble()).isNull();
        assertThat(f.hasFileMeta()).isFalse();
        assertThat(f.transferSyntax().uid()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.transferSyntaxGuessed()).isTrue();
        assertThat(f.dataset().getString(Tag.Modality)).isEqualTo("CR");
        assertThat(f.dataset().getInt(Tag.Rows).getAsInt()).isEqualTo(2);
        assertThat(f.pixelData().readNative()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void rawExplicitLittleAndBigEndianAreDetected() throws Exception {
        byte[] le = RawBytes.le().explicit(Tag.Modality, VR.CS, "DX").us(Tag.Rows, 513).toByteArray();
        DicomFile f = DicomReader.read(le);
        assertThat(f.transferSyntax().uid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.dataset().getInt(Tag.Rows).getAsInt()).isEqualTo(513);

        byte[] be = new RawBytes(true).explicit(Tag.Modality, VR.CS, "DX").us(Tag.Rows, 513).toByteArray();
        f = DicomReader.read(be);
        assertThat(f.transferSyntax().uid()).isEqualTo(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertThat(f.dataset().getInt(Tag.Rows).getAsInt()).isEqualTo(513);
    }

    @Test
    void missingTransferSyntaxInMetaIsGuessed() throws Exception {
        byte[] data = concat(RawBytes.part10(null).toByteArray(),
                RawBytes.le().implicit(Tag.Modality, "CR").toByteArray());
        DicomFile f = DicomReader.read(data);
        assertThat(f.transferSyntaxGuessed()).isTrue();
        assertThat(f.transferSyntax().explicitVr()).isFalse();
        assertThat(f.dataset().getString(Tag.Modality)).isEqualTo("CR");
        assertThat(f.warnings()).anyMatch(w -> w.contains("no Transfer Syntax UID"));
    }

    @Test
    void nestedSequencesOfUndefinedAndDefinedLength() throws Exception {
        byte[] inner = RawBytes.le().explicit(Tag.CodeMeaning, VR.LO, "vertical").toByteArray();
        RawBytes item = RawBytes.le()
                .explicit(Tag.CodeMeaning, VR.LO, "Erect ")
                .tag(Tag.PatientOrientationModifierCodeSequence).ascii("SQ").u16(0).u32(8 + inner.length)
                .item(Tag.Item, inner.length).bytes(inner);
        byte[] itemBytes = item.toByteArray();
        byte[] ds = RawBytes.le()
                .tag(Tag.PatientOrientationCodeSequence).ascii("SQ").u16(0).u32(0xFFFFFFFFL)
                .item(Tag.Item, 0xFFFFFFFFL).bytes(itemBytes).item(Tag.ItemDelimitationItem, 0)
                .item(Tag.Item, itemBytes.length).bytes(itemBytes)
                .item(Tag.SequenceDelimitationItem, 0)
                .explicit(Tag.ViewPosition, VR.CS, "AP").toByteArray();
        DicomFile f = DicomReader.read(concat(RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(), ds));
        Dataset d = f.dataset();
        assertThat(d.getSequence(Tag.PatientOrientationCodeSequence)).hasSize(2);
        assertThat(d.codeMeaning(Tag.PatientOrientationCodeSequence)).isEqualTo("Erect");
        assertThat(d.firstItem(Tag.PatientOrientationCodeSequence).orElseThrow()
                .codeMeaning(Tag.PatientOrientationModifierCodeSequence)).isEqualTo("vertical");
        assertThat(d.getString(Tag.ViewPosition)).isEqualTo("AP");
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void unknownVrWithUndefinedLengthIsAnImplicitLittleEndianSequence() throws Exception {
        // (0008,1032) ProcedureCodeSequence sent as UN: items inside are implicit VR LE
        byte[] item = RawBytes.le().implicit(Tag.CodeMeaning, "CHEST").toByteArray();
        byte[] ds = RawBytes.le()
                .tag(Tag.ProcedureCodeSequence).ascii("UN").u16(0).u32(0xFFFFFFFFL)
                .item(Tag.Item, item.length).bytes(item).item(Tag.SequenceDelimitationItem, 0)
                .explicit(Tag.Modality, VR.CS, "CR").toByteArray();
        DicomFile f = DicomReader.read(concat(RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(), ds));
        assertThat(f.dataset().codeMeaning(Tag.ProcedureCodeSequence)).isEqualTo("CHEST");
        assertThat(f.dataset().getString(Tag.Modality)).isEqualTo("CR");
    }

    @Test
    void oddLengthsAndBadNumbersAreLenient() throws Exception {
        byte[] ds = RawBytes.le()
                .explicit(Tag.PatientName, VR.PN, "ODD")
                .explicit(Tag.NumberOfFrames, VR.IS, "1A")
                .explicit(Tag.PixelSpacing, VR.DS, "0.1\\1.9.10.0")
                .explicit(Tag.InstanceNumber, VR.IS, " 12 ").toByteArray();
        Dataset d = DicomReader.read(concat(RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(), ds)).dataset();
        assertThat(d.getString(Tag.PatientName)).isEqualTo("ODD");
        assertThat(d.getString(Tag.NumberOfFrames)).isEqualTo("1A");
        assertThat(d.getInt(Tag.NumberOfFrames)).isEmpty();
        assertThat(d.getDouble(Tag.PixelSpacing, 0).getAsDouble()).isEqualTo(0.1);
        assertThat(d.getDouble(Tag.PixelSpacing, 1)).isEmpty();
        assertThat(d.getStrings(Tag.PixelSpacing)).containsExactly("0.1", "1.9.10.0");
        assertThat(d.getInt(Tag.InstanceNumber).getAsInt()).isEqualTo(12);
    }

    @Test
    void encapsulatedFramesWithoutOffsetTable() throws Exception {
        byte[] a = {(byte) 0xFF, (byte) 0xD8, 1, (byte) 0xFF, (byte) 0xD9, 0};
        byte[] b1 = {(byte) 0xFF, (byte) 0xD8, 2, 3};
        byte[] b2 = {4, 5, (byte) 0xFF, (byte) 0xD9};
        byte[] pixel = RawBytes.le().tag(Tag.PixelData).ascii("OB").u16(0).u32(0xFFFFFFFFL)
                .item(Tag.Item, 0)
                .item(Tag.Item, a.length).bytes(a).item(Tag.Item, b1.length).bytes(b1).item(Tag.Item, b2.length).bytes(b2)
                .item(Tag.SequenceDelimitationItem, 0).toByteArray();
        byte[] head = RawBytes.le().explicit(Tag.NumberOfFrames, VR.IS, "2 ").toByteArray();
        byte[] file = concat(RawBytes.part10(TransferSyntax.JPEG_BASELINE).toByteArray(), head, pixel);
        Path p = tmp.resolve("enc.dcm");
        Files.write(p, file);
        for (DicomFile f : List.of(DicomReader.read(file), DicomReader.read(p))) {
            PixelData px = f.pixelData();
            assertThat(px.fragments()).hasSize(3);
            assertThat(px.readFrame(0, 2)).isEqualTo(a);                        // split at EOI
            assertThat(px.readFrame(1, 2)).isEqualTo(concat(b1, b2));
            assertThat(px.readFrame(0, 1)).isEqualTo(concat(a, b1, b2));         // single frame: all fragments
            assertThat(px.readFrame(2, 3)).isEqualTo(b2);                         // one fragment per frame
        }
    }

    @Test
    void pixelDataIsNotReadWithTheHeaderFromAFile() throws Exception {
        Dataset ds = TestImages.cr(512, 512, 16);
        byte[] bytes = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path p = tmp.resolve("big.dcm");
        Files.write(p, bytes);
        DicomFile f = DicomReader.read(p);
        PixelData px = f.pixelData();
        assertThat(px.source()).isInstanceOf(ByteSource.FileSource.class);
        assertThat(px.valueOffset() + px.availableLength()).isEqualTo(bytes.length);
        assertThat(px.readNativeFrame(0, 512 * 512 * 2)).isEqualTo(ds.pixelData().readNative());
    }

    @Test
    void byteArrayValuesAreSlicesNotCopies() throws Exception {
        byte[] bytes = DicomWriter.toBytes(TestImages.cr(4, 4, 8), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomFile f = DicomReader.read(bytes);
        assertThat(f.dataset().get(Tag.Modality).array()).isSameAs(bytes);
    }

    @Test
    void truncatedNativePixelDataIsReportedNotThrown() throws Exception {
        byte[] bytes = DicomWriter.toBytes(TestImages.cr(16, 16, 8), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 10);
        PixelData px = DicomReader.read(cut).pixelData();
        assertThat(px.isComplete()).isFalse();
        assertThat(px.availableLength()).isEqualTo(256 - 10);
    }

    @Test
    void errorsHaveReasons() {
        assertReason("hello, world: this is not DICOM".getBytes(StandardCharsets.US_ASCII), Reason.NOT_DICOM);
        assertReason(new byte[3], Reason.NOT_DICOM);
        byte[] bytes = DicomWriter.toBytes(TestImages.cr(16, 16, 8), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertReason(java.util.Arrays.copyOf(bytes, 300), Reason.TRUNCATED);
        // an element claiming 2 GB in a small file
        byte[] huge = concat(RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(),
                RawBytes.le().tag(Tag.ImageComments).ascii("UT").u16(0).u32(0x7FFFFFF0L).ascii("xx").toByteArray());
        assertReason(huge, Reason.TRUNCATED);
        // sequences nested 100 deep
        RawBytes deep = RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        for (int i = 0; i < 100; i++) {
            deep.tag(Tag.ProcedureCodeSequence).ascii("SQ").u16(0).u32(0xFFFFFFFFL).item(Tag.Item, 0xFFFFFFFFL);
        }
        assertReason(deep.toByteArray(), Reason.TOO_LARGE);
        // an item tag where an element should be, with undefined length
        byte[] stray = concat(RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(),
                RawBytes.le().item(Tag.Item, 0xFFFFFFFFL).toByteArray());
        assertReason(stray, Reason.MALFORMED);
    }

    @Test
    void endlessSequenceEndsAtTheDataEnd() {
        RawBytes r = RawBytes.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        r.tag(Tag.ProcedureCodeSequence).ascii("SQ").u16(0).u32(0xFFFFFFFFL);
        for (int i = 0; i < 50_000; i++) {
            r.item(Tag.Item, 0);
        }
        assertReason(r.toByteArray(), Reason.TRUNCATED);
    }

    @Test
    void deflatedDatasetIsInflatedWithinTheLimit() throws Exception {
        Dataset ds = TestImages.cr(256, 256, 8);
        byte[] bytes = DicomWriter.toBytes(ds, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        ReadLimits small = new ReadLimits(8, 100, 1000, 1 << 20, 100, 1 << 20, 10_000);
        assertThatThrownBy(() -> DicomReader.read(bytes, small))
                .isInstanceOf(DicomException.class)
                .extracting(e -> ((DicomException) e).reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(DicomReader.read(bytes).pixelData().readNative()).isEqualTo(ds.pixelData().readNative());
    }

    @Test
    void dictionaryKnowsVrAndKeywords() {
        assertThat(ElementDictionary.vrOf(Tag.PixelData)).isEqualTo(VR.OB);
        assertThat(ElementDictionary.vrOf(Tag.Rows)).isEqualTo(VR.US);
        assertThat(ElementDictionary.vrOf(Tag.of(0x6002, 0x3000))).isEqualTo(VR.OB);  // overlay, repeating group
        assertThat(ElementDictionary.vrOf(Tag.of(0x0009, 0x0010))).isEqualTo(VR.LO);  // private creator
        assertThat(ElementDictionary.vrOf(Tag.of(0x0009, 0x1001))).isEqualTo(VR.UN);
        assertThat(ElementDictionary.keywordOf(Tag.ViewCodeSequence)).isEqualTo("ViewCodeSequence");
        assertThat(Tag.forKeyword("PerformedProcedureStepDescription")).isEqualTo(Tag.PerformedProcedureStepDescription);
        assertThat(Tag.forKeyword("NoSuchKeyword")).isEqualTo(-1);
    }

    @Test
    void characterSets() {
        assertThat(SpecificCharacterSet.of("ISO_IR 192").charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(SpecificCharacterSet.of("ISO_IR 100").charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(SpecificCharacterSet.of("ISO_IR 144").charset().name()).isEqualTo("ISO-8859-5");
        assertThat(SpecificCharacterSet.of("").charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(SpecificCharacterSet.of("NONSENSE").charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        byte[] withEscape = {'A', 0x1B, 0x2D, 0x41, (byte) 0xE9};
        assertThat(SpecificCharacterSet.of("ISO 2022 IR 6", "ISO 2022 IR 100").decode(withEscape, 0, withEscape.length))
                .isEqualTo("Aé");
    }

    @Test
    void transferSyntaxProperties() {
        assertThat(TransferSyntax.forUid(TransferSyntax.JPEG_2000).lossy()).isTrue();
        assertThat(TransferSyntax.forUid(TransferSyntax.JPEG_LS_LOSSLESS).lossy()).isFalse();
        assertThat(TransferSyntax.forUid(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN).bigEndian()).isTrue();
        TransferSyntax unknown = TransferSyntax.forUid("1.2.3.4");
        assertThat(unknown.known()).isFalse();
        assertThat(unknown.encapsulated()).isTrue();
    }

    private static void assertReason(byte[] data, Reason reason) {
        assertThatThrownBy(() -> DicomReader.read(data))
                .isInstanceOf(DicomException.class)
                .satisfies(e -> assertThat(((DicomException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
