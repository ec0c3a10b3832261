package org.cxr.ingest.domain.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomElement;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.dicom.VR;
import org.cxr.ingest.domain.deid.AllowList;
import org.cxr.ingest.domain.deid.BurnedInRisk;
import org.cxr.ingest.domain.deid.DateShift;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;

class DicomDeidentifierTest {
    static final Pseudonyms P = new Pseudonyms("test-secret-0123456789");
    static final DicomDeidentifier DEID = new DicomDeidentifier(AllowList.standard());
    static final int OFFSET = 40_000;

    static byte[] deid(byte[] in, Set<String> nameTokens) throws Exception {
        DicomFile f = DicomReader.read(in);
        return DEID.deidentify(f, new DicomDeidentifier.Context("12345678", "50000001", OFFSET, P::uid,
                w -> nameTokens.stream().anyMatch(w::equalsIgnoreCase)));
    }

    @Test
    void noIdentifierSurvivesAndDatasetColumnsAreKept() throws Exception {
        TestDicoms.Spec spec = TestDicoms.spec("MRN-PHI-0042", 1, 1);
        byte[] in = TestDicoms.bytes(spec);
        InstanceHeader h = InstanceHeader.of(DicomReader.read(in), true);
        byte[] out = deid(in, h.patientNameTokens());
        String raw = new String(out, StandardCharsets.ISO_8859_1);
        for (String phi : new String[] {"MRN-PHI-0042", "Quackenbush", "Hortensia", TestDicoms.BIRTH_DATE,
                TestDicoms.INSTITUTION, "Westphall", TestDicoms.ACCESSION, TestDicoms.DEVICE_SERIAL, TestDicoms.OTHER_ID,
                "Elm Street", "XR-ROOM-3", "Tammy", "STUDY-7781", "SEGH", "ACME PRIVATE", spec.studyUid(), spec.sopUid(),
                spec.seriesUid(), TestDicoms.STUDY_DATE, "20190322"}) {
            assertThat(raw).as(phi).doesNotContain(phi);
        }
        Dataset ds = DicomReader.read(out).dataset();
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("12345678");
        assertThat(ds.getString(Tag.PatientID)).isEqualTo("12345678");
        assertThat(ds.getString(0x00120062)).isEqualTo("YES");
        assertThat(ds.getString(0x00120063)).isNotBlank();
        assertThat(ds.getSequence(0x00120064)).extracting(i -> i.getString(Tag.CodeValue)).contains("113100", "113107", "113108");
        assertThat(ds.getString(0x00280303)).isEqualTo("MODIFIED");
        // the dataset's metadata columns survive
        assertThat(ds.getString(Tag.ViewPosition)).isEqualTo("PA");
        assertThat(ds.getString(Tag.PerformedProcedureStepDescription)).isEqualTo("CHEST (PA AND LAT)");
        assertThat(ds.codeMeaning(Tag.ProcedureCodeSequence)).isEqualTo("CHEST (PA AND LAT)");
        assertThat(ds.codeMeaning(Tag.ViewCodeSequence)).isEqualTo("postero-anterior");
        assertThat(ds.codeMeaning(Tag.PatientOrientationCodeSequence)).isEqualTo("Erect");
        assertThat(ds.getInt(Tag.Rows).getAsInt()).isEqualTo(64);
        assertThat(ds.getString(Tag.StudyTime)).isEqualTo("080556.875");
        assertThat(ds.getString(Tag.StudyDate)).isEqualTo(DateShift.date(TestDicoms.STUDY_DATE, OFFSET));
        assertThat(ds.getString(Tag.StudyDate)).startsWith("21");
        assertThat(ds.getString(Tag.PatientSex)).isEqualTo("F");
        assertThat(ds.getString(Tag.PatientAge)).isEqualTo("072Y");
        assertThat(ds.getString(Tag.StudyID)).isEqualTo("50000001");
        assertThat(ds.get(Tag.PatientBirthDate).isEmpty()).isTrue();
        assertThat(ds.get(Tag.AccessionNumber).isEmpty()).isTrue();
        // not on the allow-list: gone (free text, equipment, other descriptions, unneeded sequences)
        for (int tag : new int[] {Tag.InstitutionName, Tag.StudyDescription, Tag.StationName,
                Tag.SourceImageSequence, Tag.InstanceCreationDate, Tag.OperatorsName, 0x00101040, 0x00104000, 0x00181000}) {
            assertThat(ds.contains(tag)).as(Tag.toString(tag)).isFalse();
        }
        // no private, overlay or unknown person-name element anywhere
        for (DicomElement e : all(ds)) {
            assertThat((e.tag() >>> 16) & 1).as(Tag.toString(e.tag())).isZero();
            assertThat(e.tag() >>> 24).as(Tag.toString(e.tag())).isNotEqualTo(0x60);
            if (e.vr() == VR.PN) {
                assertThat(e.tag()).isIn(Tag.PatientName, Tag.ReferringPhysicianName);
            }
            if (e.tag() == Tag.ReferringPhysicianName) {
                assertThat(e.isEmpty()).isTrue();
            }
        }
        // pixel data untouched
        assertThat(ds.pixelData().isEncapsulated()).isFalse();
        byte[] px = TestDicoms.pixels(spec);
        assertThat(indexOf(out, px)).isPositive();
    }

    @Test
    void uidsAreRemappedConsistentlyAndDatesShiftedPerSubject() throws Exception {
        TestDicoms.Spec a = TestDicoms.spec("P1", 2, 1);
        TestDicoms.Spec b = TestDicoms.spec("P1", 2, 2);
        Dataset da = DicomReader.read(deid(TestDicoms.bytes(a), Set.of())).dataset();
        Dataset db = DicomReader.read(deid(TestDicoms.bytes(b), Set.of())).dataset();
        assertThat(da.getString(Tag.StudyInstanceUID)).isEqualTo(db.getString(Tag.StudyInstanceUID))
                .isEqualTo(P.uid(a.studyUid())).startsWith("2.25.");
        assertThat(da.getString(Tag.SeriesInstanceUID)).isEqualTo(db.getString(Tag.SeriesInstanceUID));
        assertThat(da.getString(Tag.SOPInstanceUID)).isNotEqualTo(db.getString(Tag.SOPInstanceUID))
                .isEqualTo(P.uid(a.sopUid()));
        assertThat(da.getString(Tag.SOPClassUID)).isEqualTo(db.getString(Tag.SOPClassUID)).startsWith("1.2.840.10008.");
        assertThat(da.getString(0x00200052)).isEqualTo(P.uid(a.studyUid() + ".9")); // FrameOfReferenceUID
        // the interval between acquisition and study date is kept (1 day)
        assertThat(Integer.parseInt(da.getString(Tag.AcquisitionDate)) - Integer.parseInt(da.getString(Tag.StudyDate)))
                .isEqualTo(1);
        assertThat(da.getString(Tag.StudyDate)).isEqualTo(db.getString(Tag.StudyDate));
    }

    @Test
    void outputIsDeterministic() throws Exception {
        byte[] in = TestDicoms.bytes(TestDicoms.spec("P2", 3, 1));
        assertThat(deid(in, Set.of("Quackenbush"))).isEqualTo(deid(in, Set.of("Quackenbush")));
    }

    @Test
    void dateShiftKeepsChronologyAndTimes() {
        assertThat(DateShift.date("20190321", 1)).isEqualTo("20190322");
        assertThat(DateShift.date("2019.03.21", 0)).isEqualTo("20190321");
        assertThat(DateShift.date("20191340", 1)).isNull();
        assertThat(DateShift.dateTime("20190321235959.123+0100", 1)).isEqualTo("20190322235959.123+0100");
        assertThat(DateShift.dateTime("201903", 31)).isEqualTo("201904");
    }

    /**
     * Every real file of ../shared/data/dicom that the reader accepts: the stored bytes hold only
     * allow-listed attributes (checked per nesting context, private groups included), no original
     * PatientID or SOPInstanceUID, and everything the converter reads is unchanged: the header
     * sources of the 12 metadata columns (StudyDate shifted by the subject's offset), the image
     * pixel module and the pixel data bytes.
     */
    @Test
    void realSharedFilesKeepOnlyTheAllowListAndWhatTheConverterNeeds() throws Exception {
        Path root = SharedData.require("data/dicom");
        List<Path> files;
        try (var s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        AllowList allow = AllowList.standard();
        int checked = 0;
        int removedSomewhere = 0;
        for (Path f : files) {
            byte[] in = Files.readAllBytes(f);
            DicomFile src;
            try {
                src = DicomReader.read(in);
            } catch (org.cxr.dicom.DicomException e) {
                continue; // refused at intake (NOT_DICOM / MALFORMED_DICOM), never de-identified
            }
            Dataset before = DicomReader.read(in).dataset();
            String sop = before.getString(Tag.SOPInstanceUID);
            String id = before.getString(Tag.PatientID);
            byte[] out;
            try {
                out = deid(in, InstanceHeader.nameTokens(before.getString(Tag.PatientName)));
            } catch (RuntimeException e) {
                continue; // the writer refuses what it cannot write (intake: MALFORMED_DICOM)
            }
            DicomFile stored = DicomReader.read(out);
            Dataset ds = stored.dataset();
            String name = root.relativize(f).toString();
            assertOnlyAllowed(ds, AllowList.TOP, false, allow, name);
            if (all(before).size() > all(ds).size()) {
                removedSomewhere++;
            }
            String raw = new String(out, StandardCharsets.ISO_8859_1);
            if (sop != null && !sop.isEmpty()) {
                assertThat(raw).as(name + " SOPInstanceUID").doesNotContain(sop);
            }
            if (id != null && id.length() >= 4) {
                assertThat(raw).as(name + " PatientID").doesNotContain(id);
            }
            assertThat(columns(ds)).as(name + " metadata column sources")
                    .isEqualTo(columns(before).withStudyDate(DateShift.date(before.getString(Tag.StudyDate), OFFSET)));
            for (int tag : new int[] {Tag.Rows, Tag.Columns, Tag.BitsAllocated, Tag.BitsStored, Tag.HighBit,
                    Tag.PixelRepresentation, Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.PlanarConfiguration,
                    Tag.NumberOfFrames}) {
                assertThat(ds.getString(tag)).as(name + " " + Tag.toString(tag)).isEqualTo(before.getString(tag));
            }
            assertThat(stored.transferSyntax().uid()).isEqualTo(src.transferSyntax().uid());
            if (src.pixelData() != null) {
                assertThat(pixelBytes(stored)).as(name + " pixel data").isEqualTo(pixelBytes(src));
            }
            checked++;
        }
        assertThat(checked).as("files checked").isGreaterThan(20);
        assertThat(removedSomewhere).as("files that lost attributes").isGreaterThan(10);
    }

    @Test
    void burnedInRiskIsSeenInRealAndBuiltFiles() throws Exception {
        Dataset sc = DicomReader.read(SharedData.require("data/dicom/chest/NIH_CXR_DX_SC.dcm")).dataset();
        assertThat(BurnedInRisk.of(sc, sc.getString(Tag.SOPClassUID))).hasValueSatisfying(r -> assertThat(r).contains("secondary capture"));
        Dataset cr = DicomReader.read(SharedData.require("data/dicom/chest/RG1_J2KI.dcm")).dataset();
        assertThat(BurnedInRisk.of(cr, cr.getString(Tag.SOPClassUID))).isEmpty();

        Dataset ds = TestDicoms.dataset(TestDicoms.spec("P9", 9, 1));
        String dx = ds.getString(Tag.SOPClassUID);
        assertThat(BurnedInRisk.of(ds, dx)).isEmpty(); // ORIGINAL\PRIMARY
        ds.putString(Tag.ImageType, VR.CS, "DERIVED\\PRIMARY"); // e.g. a lossy-compressed CR
        assertThat(BurnedInRisk.of(ds, dx)).isEmpty();
        ds.putString(Tag.BurnedInAnnotation, VR.CS, "NO");
        assertThat(BurnedInRisk.of(ds, dx)).isEmpty();
        ds.putString(Tag.ImageType, VR.CS, "DERIVED\\SECONDARY");
        assertThat(BurnedInRisk.of(ds, dx)).isPresent();
        ds.putString(Tag.ImageType, VR.CS, "ORIGINAL\\PRIMARY");
        ds.putString(Tag.BurnedInAnnotation, VR.CS, "YES");
        assertThat(BurnedInRisk.of(ds, dx)).isPresent();
        ds.remove(Tag.BurnedInAnnotation);
        assertThat(BurnedInRisk.of(ds, "1.2.840.10008.5.1.4.1.1.7.4")).isPresent(); // multi-frame true colour SC
    }

    /** The header sources of the metadata columns the converter reads (dataset contract §3). */
    record Columns(String ppsd, String view, String rows, String cols, String studyDate, String studyTime,
                   String procedure, String viewCode, String orientation) {
        Columns withStudyDate(String d) {
            return new Columns(ppsd, view, rows, cols, d, studyTime, procedure, viewCode, orientation);
        }
    }

    static Columns columns(Dataset ds) {
        return new Columns(ds.getString(Tag.PerformedProcedureStepDescription), ds.getString(Tag.ViewPosition),
                ds.getString(Tag.Rows), ds.getString(Tag.Columns), ds.getString(Tag.StudyDate), ds.getString(Tag.StudyTime),
                ds.codeMeaning(Tag.ProcedureCodeSequence), ds.codeMeaning(Tag.ViewCodeSequence),
                ds.codeMeaning(Tag.PatientOrientationCodeSequence));
    }

    /** SHA-256 of the pixel data value (fragments padded to even length, as a Part 10 writer must). */
    static String pixelBytes(DicomFile f) throws Exception {
        var px = f.pixelData();
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        if (!px.isEncapsulated()) {
            sha.update(px.readNative());
        } else {
            for (int i = 0; i < px.fragments().size(); i++) {
                byte[] frag = px.readFragment(i);
                sha.update(frag);
                if (frag.length % 2 == 1) {
                    sha.update((byte) 0);
                }
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /** Written by the de-identifier itself to record what it did (PS3.15 E.1.1). */
    static final java.util.Set<Integer> RECORDED = java.util.Set.of(0x00120062, 0x00120063, 0x00120064, 0x00280303);

    static void assertOnlyAllowed(Dataset ds, String context, boolean codeItem, AllowList allow, String file) {
        for (DicomElement e : ds.elements()) {
            boolean recorded = context.equals(AllowList.TOP) && RECORDED.contains(e.tag())
                    || context.equals("DeidentificationMethodCodeSequence");
            var action = allow.actionFor(context, e.tag(), codeItem);
            assertThat(recorded || action != null).as(file + ": " + Tag.toString(e.tag()) + " in " + context).isTrue();
            for (Dataset item : e.items()) {
                assertOnlyAllowed(item, org.cxr.dicom.ElementDictionary.keywordOf(e.tag()),
                        action == AllowList.Action.CODE_SQ, allow, file);
            }
        }
    }

    static List<DicomElement> all(Dataset ds) {
        List<DicomElement> out = new ArrayList<>();
        for (DicomElement e : ds.elements()) {
            out.add(e);
            for (Dataset item : e.items()) {
                out.addAll(all(item));
            }
        }
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
