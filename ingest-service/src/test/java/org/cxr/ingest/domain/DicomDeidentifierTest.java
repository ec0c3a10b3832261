package org.cxr.ingest.domain;

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
import org.cxr.ingest.domain.deid.ConfidentialityProfile;
import org.cxr.ingest.domain.deid.DateShift;
import org.cxr.ingest.domain.deid.DicomDeidentifier;
import org.cxr.ingest.domain.deid.InstanceHeader;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.testing.TestDicoms;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;

class DicomDeidentifierTest {
    static final Pseudonyms P = new Pseudonyms("test-secret-0123456789");
    static final DicomDeidentifier DEID = new DicomDeidentifier(ConfidentialityProfile.standard());
    static final int OFFSET = 40_000;

    static byte[] deid(byte[] in, Set<String> nameTokens) throws Exception {
        DicomFile f = DicomReader.read(in);
        return DEID.deidentify(f, new DicomDeidentifier.Context("12345678", OFFSET, P::uid,
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
        assertThat(ds.getString(Tag.StudyDescription)).isEqualTo("CHEST PA/LAT ___");
        assertThat(ds.get(Tag.PatientBirthDate).isEmpty()).isTrue();
        assertThat(ds.contains(Tag.InstitutionName)).isFalse();
        // no private, overlay or unknown person-name element anywhere
        for (DicomElement e : all(ds)) {
            assertThat((e.tag() >>> 16) & 1).as(Tag.toString(e.tag())).isZero();
            assertThat(e.tag() >>> 24).as(Tag.toString(e.tag())).isNotEqualTo(0x60);
            if (e.vr() == VR.PN) {
                assertThat(e.tag()).isIn(Tag.PatientName, Tag.ReferringPhysicianName);
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
        assertThat(da.firstItem(Tag.SourceImageSequence).orElseThrow().getString(0x00081155))
                .isEqualTo(P.uid(a.studyUid() + ".1.999"));
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

    @Test
    void realSharedChestFilesAreDeidentified() throws Exception {
        Path dir = SharedData.require("data/dicom/chest");
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        for (Path f : files) {
            byte[] in = Files.readAllBytes(f);
            DicomFile src = DicomReader.read(in);
            String id = src.dataset().getString(Tag.PatientID);
            String name = src.dataset().getString(Tag.PatientName);
            String sop = src.dataset().getString(Tag.SOPInstanceUID);
            byte[] out = deid(in, InstanceHeader.nameTokens(name));
            Dataset ds = DicomReader.read(out).dataset();
            assertThat(ds.getString(Tag.PatientID)).as(f.toString()).isEqualTo("12345678");
            assertThat(ds.getString(Tag.SOPInstanceUID)).isEqualTo(P.uid(sop));
            String raw = new String(out, StandardCharsets.ISO_8859_1);
            if (id != null && id.length() >= 4) {
                assertThat(raw).as(f + " PatientID").doesNotContain(id);
            }
            assertThat(raw).as(f + " SOPInstanceUID").doesNotContain(sop);
            if (src.pixelData() != null) {
                assertThat(ds.pixelData()).isNotNull();
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
