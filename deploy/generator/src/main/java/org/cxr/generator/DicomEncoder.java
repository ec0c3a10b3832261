package org.cxr.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;
import org.cxr.dicom.UID;
import org.cxr.dicom.VR;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.image.ImageSpec;
import org.cxr.generator.image.JpegBaselineEncoder;
import org.cxr.generator.image.RleEncoder;

/** Builds the dataset of a generated instance and writes it with libs/dicom. */
final class DicomEncoder {
    /** DX view and patient orientation codes (SNOMED-RT designators as older CR/DX devices write them). */
    private static final Map<String, String[]> CODES = Map.of(
            "postero-anterior", new String[]{"R-10214", "SRT"},
            "antero-posterior", new String[]{"R-10206", "SRT"},
            "left lateral", new String[]{"R-10236", "SRT"},
            "lateral", new String[]{"R-102CD", "SRT"},
            "Erect", new String[]{"F-10440", "SRT"},
            "Recumbent", new String[]{"F-10450", "SRT"});
    private static final int PATIENT_TELEPHONE_NUMBERS = Tag.forKeyword("PatientTelephoneNumbers");
    private static final int PRESENTATION_INTENT_TYPE = Tag.forKeyword("PresentationIntentType");

    private DicomEncoder() {
    }

    static byte[] encode(GeneratedInstance in) {
        return DicomWriter.toBytes(dataset(in), in.image.syntax().uid());
    }

    static void write(GeneratedInstance in, OutputStream out) throws IOException {
        DicomWriter.write(out, dataset(in), in.image.syntax().uid());
    }

    private static Dataset dataset(GeneratedInstance in) {
        GeneratedInstance.StudyHeader s = in.study;
        ImageSpec img = in.image;
        boolean dx = UID.DIGITAL_XRAY_IMAGE_STORAGE_FOR_PRESENTATION.equals(in.sopClassUid);
        Dataset ds = new Dataset();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.putString(Tag.ImageType, VR.CS, "ORIGINAL\\PRIMARY");
        ds.putString(Tag.SOPClassUID, VR.UI, in.sopClassUid);
        ds.putString(Tag.SOPInstanceUID, VR.UI, in.sopInstanceUid);
        ds.putString(Tag.StudyDate, VR.DA, s.studyDate());
        ds.putString(Tag.SeriesDate, VR.DA, s.studyDate());
        ds.putString(Tag.ContentDate, VR.DA, s.studyDate());
        ds.putString(Tag.StudyTime, VR.TM, s.studyTime());
        ds.putString(Tag.SeriesTime, VR.TM, in.seriesTime);
        ds.putString(Tag.ContentTime, VR.TM, in.seriesTime);
        ds.putString(Tag.AccessionNumber, VR.SH, s.accessionNumber());
        ds.putString(Tag.Modality, VR.CS, dx ? "DX" : "CR");
        if (dx) {
            ds.putString(PRESENTATION_INTENT_TYPE, VR.CS, "FOR PRESENTATION");
        }
        ds.putString(Tag.Manufacturer, VR.LO, s.device().manufacturer());
        if (s.institutionName() != null) {
            ds.putString(Tag.InstitutionName, VR.LO, s.institutionName());
            ds.putString(Tag.InstitutionAddress, VR.ST, s.institutionAddress());
        }
        ds.putString(Tag.ReferringPhysicianName, VR.PN, s.referringPhysician());
        ds.putString(Tag.StationName, VR.SH, s.stationName());
        ds.putString(Tag.StudyDescription, VR.LO, s.procedure());
        ds.putCode(Tag.ProcedureCodeSequence, s.procedureCode(), "99CXR", s.procedure());
        ds.putString(Tag.SeriesDescription, VR.LO, in.viewPosition.isEmpty() ? "CHEST" : "CHEST " + in.viewPosition);
        ds.putString(Tag.OperatorsName, VR.PN, s.operator());
        ds.putString(Tag.ManufacturerModelName, VR.LO, s.device().model());

        Patient p = s.patient();
        ds.putString(Tag.PatientName, VR.PN, p.name());
        ds.putString(Tag.PatientID, VR.LO, p.patientId());
        if (p.issuerOfPatientId() != null) {
            ds.putString(Tag.IssuerOfPatientID, VR.LO, p.issuerOfPatientId());
        }
        ds.putString(Tag.PatientBirthDate, VR.DA, p.birthDate());
        ds.putString(Tag.PatientSex, VR.CS, p.sex());
        ds.putString(Tag.PatientAge, VR.AS, s.patientAge());
        if (!p.address().isEmpty()) {
            ds.putString(Tag.PatientAddress, VR.LO, p.address());
            ds.putString(PATIENT_TELEPHONE_NUMBERS, VR.SH, p.phone());
        }

        ds.putString(Tag.BodyPartExamined, VR.CS, "CHEST");
        ds.putString(Tag.DeviceSerialNumber, VR.LO, s.deviceSerialNumber());
        ds.putString(Tag.SoftwareVersions, VR.LO, s.device().softwareVersion());
        ds.putString(Tag.ImagerPixelSpacing, VR.DS, in.pixelSpacing + "\\" + in.pixelSpacing);
        ds.putString(Tag.ViewPosition, VR.CS, in.viewPosition);
        ds.putString(Tag.StudyInstanceUID, VR.UI, s.studyInstanceUid());
        ds.putString(Tag.SeriesInstanceUID, VR.UI, in.seriesInstanceUid);
        ds.putString(Tag.StudyID, VR.SH, s.dicomStudyId());
        ds.putInt(Tag.SeriesNumber, VR.IS, in.instanceNumber);
        ds.putInt(Tag.InstanceNumber, VR.IS, 1);
        ds.putString(Tag.PatientOrientation, VR.CS, in.viewPosition.startsWith("L") ? "P\\F" : "L\\F");

        ds.putInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, img.photometric());
        ds.putInt(Tag.Rows, VR.US, img.rows());
        ds.putInt(Tag.Columns, VR.US, img.columns());
        if (!dx) {
            ds.putString(Tag.PixelSpacing, VR.DS, in.pixelSpacing + "\\" + in.pixelSpacing);
        }
        ds.putInt(Tag.BitsAllocated, VR.US, img.bitsAllocated());
        ds.putInt(Tag.BitsStored, VR.US, img.bitsStored());
        ds.putInt(Tag.HighBit, VR.US, img.bitsStored() - 1);
        ds.putInt(Tag.PixelRepresentation, VR.US, img.pixelRepresentation());
        ds.putInt(Tag.WindowCenter, VR.DS, (img.minStored() + img.maxStored()) / 2);
        ds.putInt(Tag.WindowWidth, VR.DS, img.maxStored() - img.minStored());
        ds.putString(Tag.RescaleIntercept, VR.DS, "0");
        ds.putString(Tag.RescaleSlope, VR.DS, "1");
        boolean jpeg = img.syntax() == EncodedSyntax.JPEG_BASELINE;
        ds.putString(Tag.LossyImageCompression, VR.CS, jpeg ? "01" : "00");
        if (dx) {
            ds.putString(Tag.PresentationLUTShape, VR.CS,
                    ImageSpec.MONOCHROME1.equals(img.photometric()) ? "INVERSE" : "IDENTITY");
        }
        ds.putString(Tag.PerformedProcedureStepDescription, VR.LO, s.procedure());
        putCode(ds, Tag.ViewCodeSequence, in.viewCodeMeaning);
        putCode(ds, Tag.PatientOrientationCodeSequence, in.patientOrientationCodeMeaning);

        byte[] pixels = in.pixelData();
        ds.putPixelData(img.syntax().encapsulated() ? VR.OB : img.bitsAllocated() == 8 ? VR.OB : VR.OW, switch (img.syntax()) {
            case RLE_LOSSLESS -> PixelData.ofFrames(List.of(
                    RleEncoder.encode(pixels, img.rows(), img.columns(), img.bytesPerSample())));
            case JPEG_BASELINE -> PixelData.ofFrames(List.of(
                    JpegBaselineEncoder.encode(pixels, img.rows(), img.columns(), 0.9f)));
            default -> PixelData.ofNative(pixels, img.bitsAllocated() == 8 ? VR.OB : VR.OW);
        });
        return ds;
    }

    private static void putCode(Dataset ds, int sequenceTag, String meaning) {
        if (meaning != null) {
            String[] code = CODES.get(meaning);
            ds.putCode(sequenceTag, code[0], code[1], meaning);
        }
    }
}
