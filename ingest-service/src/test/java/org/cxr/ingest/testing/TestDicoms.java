package org.cxr.ingest.testing;

import java.util.List;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomElement;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.dicom.VR;

/** DICOM instances with realistic patient identity, built with the libs/dicom writer. */
public final class TestDicoms {
    public static final String PATIENT_NAME = "Quackenbush^Hortensia^Maple";
    public static final String BIRTH_DATE = "19470312";
    public static final String INSTITUTION = "Saint Elsewhere General Hospital";
    public static final String PHYSICIAN = "Westphall^Donald";
    public static final String ACCESSION = "ACC99887766";
    public static final String DEVICE_SERIAL = "SN-4471-XQ";
    public static final String STUDY_DATE = "20190321";
    public static final String OTHER_ID = "OTHER-55501";

    /** Each test class takes its own range of UID numbers, so classes sharing one database never collide. */
    private static final java.util.concurrent.atomic.AtomicLong BASE =
            new java.util.concurrent.atomic.AtomicLong((System.currentTimeMillis() % 1_000_000L) * 10_000_000L);

    private TestDicoms() {
    }

    /** A fresh range of 1,000,000 study numbers for {@link #spec}. */
    public static long runBase() {
        return BASE.getAndAdd(1_000_000L);
    }

    /** One instance; every value that identifies the patient is one of the constants above or an argument. */
    public record Spec(String patientId, String studyUid, String seriesUid, String sopUid, String view, int rows, int cols,
                       int seed) {
        public Spec withSop(String sop) {
            return new Spec(patientId, studyUid, seriesUid, sop, view, rows, cols, seed);
        }

        public Spec withSeed(int s) {
            return new Spec(patientId, studyUid, seriesUid, sopUid, view, rows, cols, s);
        }
    }

    /** UIDs under a test root, unique per call site via the given numbers. */
    public static Spec spec(String patientId, long study, long instance) {
        String root = "1.2.826.0.1.3680043.8.498.77";
        return new Spec(patientId, root + "." + study, root + "." + study + ".1", root + "." + study + ".1." + instance,
                instance % 2 == 0 ? "LATERAL" : "PA", 64, 64, (int) instance);
    }

    public static Dataset dataset(Spec s) {
        Dataset ds = new Dataset();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.putString(Tag.ImageType, VR.CS, "ORIGINAL\\PRIMARY");
        ds.putString(Tag.InstanceCreationDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.InstanceCreationTime, VR.TM, "101530");
        ds.putString(Tag.SOPClassUID, VR.UI, UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION);
        ds.putString(Tag.SOPInstanceUID, VR.UI, s.sopUid());
        ds.putString(Tag.StudyDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.SeriesDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.AcquisitionDate, VR.DA, "20190322");
        ds.putString(Tag.ContentDate, VR.DA, STUDY_DATE);
        ds.putString(Tag.StudyTime, VR.TM, "080556.875");
        ds.putString(Tag.AccessionNumber, VR.SH, ACCESSION);
        ds.putString(Tag.Modality, VR.CS, "DX");
        ds.putString(Tag.Manufacturer, VR.LO, "ACME Imaging");
        ds.putString(Tag.InstitutionName, VR.LO, INSTITUTION);
        ds.putString(Tag.InstitutionAddress, VR.ST, "12 Elm Street, Springfield");
        ds.putString(Tag.ReferringPhysicianName, VR.PN, PHYSICIAN);
        ds.putString(Tag.StationName, VR.SH, "XR-ROOM-3");
        ds.putString(Tag.StudyDescription, VR.LO, "CHEST PA/LAT " + "Quackenbush");
        ds.putCode(Tag.ProcedureCodeSequence, "CXR2", "L", "CHEST (PA AND LAT)");
        ds.putString(Tag.OperatorsName, VR.PN, "Tech^Tammy");
        ds.putString(Tag.PatientName, VR.PN, PATIENT_NAME);
        ds.putString(Tag.PatientID, VR.LO, s.patientId());
        ds.putString(Tag.IssuerOfPatientID, VR.LO, "SEGH");
        ds.putString(Tag.PatientBirthDate, VR.DA, BIRTH_DATE);
        ds.putString(Tag.PatientSex, VR.CS, "F");
        ds.putString(Tag.PatientAge, VR.AS, "072Y");
        ds.putString(0x00101000, VR.LO, OTHER_ID); // OtherPatientIDs
        ds.putString(0x00101040, VR.LO, "12 Elm Street, Springfield"); // PatientAddress
        ds.putString(0x00104000, VR.LT, "patient Quackenbush is anxious"); // PatientComments
        ds.putString(0x00181000, VR.LO, DEVICE_SERIAL); // DeviceSerialNumber
        ds.putString(Tag.ViewPosition, VR.CS, s.view());
        ds.putString(Tag.PerformedProcedureStepDescription, VR.LO, "CHEST (PA AND LAT)");
        ds.putCode(Tag.ViewCodeSequence, "R-10214", "SRT", s.view().equals("PA") ? "postero-anterior" : "lateral");
        ds.putCode(Tag.PatientOrientationCodeSequence, "F-10440", "SRT", "Erect");
        ds.putString(Tag.StudyInstanceUID, VR.UI, s.studyUid());
        ds.putString(Tag.SeriesInstanceUID, VR.UI, s.seriesUid());
        ds.putString(0x00200010, VR.SH, "STUDY-7781"); // StudyID
        ds.putString(0x00200052, VR.UI, s.studyUid() + ".9"); // FrameOfReferenceUID
        Dataset ref = new Dataset();
        ref.putString(0x00081150, VR.UI, UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION);
        ref.putString(0x00081155, VR.UI, s.studyUid() + ".1.999");
        ds.putSequence(Tag.SourceImageSequence, List.of(ref));
        ds.putInt(Tag.SeriesNumber, VR.IS, 1);
        ds.putInt(Tag.InstanceNumber, VR.IS, 1);
        ds.putInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.putInt(Tag.Rows, VR.US, s.rows());
        ds.putInt(Tag.Columns, VR.US, s.cols());
        ds.putInt(Tag.BitsAllocated, VR.US, 16);
        ds.putInt(Tag.BitsStored, VR.US, 12);
        ds.putInt(Tag.HighBit, VR.US, 11);
        ds.putInt(Tag.PixelRepresentation, VR.US, 0);
        // a private block and an overlay comment: must not survive
        ds.put(DicomElement.ofBytes(0x00290010, VR.LO, "ACME PRIVATE".getBytes()));
        ds.put(DicomElement.ofBytes(0x00291001, VR.LO, ("PN=" + s.patientId() + " ").getBytes()));
        ds.put(DicomElement.ofBytes(0x60004000, VR.LT, "Quackenbush overlay".getBytes()));
        ds.putPixelData(VR.OW, PixelData.ofNative(pixels(s), VR.OW));
        return ds;
    }

    public static byte[] pixels(Spec s) {
        byte[] px = new byte[s.rows() * s.cols() * 2];
        for (int i = 0; i < s.rows() * s.cols(); i++) {
            int v = (i * 7 + s.seed() * 31 + i / s.cols() * 13) & 0xFFF;
            px[2 * i] = (byte) v;
            px[2 * i + 1] = (byte) (v >>> 8);
        }
        return px;
    }

    public static byte[] bytes(Spec s) {
        return DicomWriter.toBytes(dataset(s), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** An instance of about {@code targetBytes} (square 16-bit image). */
    public static byte[] sized(Spec s, int targetBytes) {
        int side = (int) Math.sqrt(targetBytes / 2.0);
        return bytes(new Spec(s.patientId(), s.studyUid(), s.seriesUid(), s.sopUid(), s.view(), side, side, s.seed()));
    }

    /** A screen capture (ImageType DERIVED\\SECONDARY): at risk of burned-in text. */
    public static byte[] screenCapture(Spec s) {
        Dataset ds = dataset(s);
        ds.putString(Tag.ImageType, VR.CS, "DERIVED\\SECONDARY");
        return DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** A MIMIC-style instance: already de-identified, PatientID = subject id, no name. */
    public static byte[] mimic(String subjectId, long study, long instance) {
        Spec s = spec(subjectId, study, instance);
        Dataset ds = dataset(s);
        ds.putString(Tag.PatientName, VR.PN, "___");
        ds.remove(Tag.PatientBirthDate);
        return DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
