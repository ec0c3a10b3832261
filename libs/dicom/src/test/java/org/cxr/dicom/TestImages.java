package org.cxr.dicom;

import java.util.List;

/** Datasets the tests build themselves. */
final class TestImages {
    private TestImages() {
    }

    /** A small CR-like image with the attributes the platform reads, nested code sequences and a Latin-1 name. */
    static Dataset cr(int rows, int cols, int bits) {
        Dataset ds = new Dataset();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.putString(Tag.ImageType, VR.CS, "ORIGINAL\\PRIMARY");
        ds.putString(Tag.SOPClassUID, VR.UI, UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE);
        ds.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.1");
        ds.putString(Tag.StudyDate, VR.DA, "21800506");
        ds.putString(Tag.StudyTime, VR.TM, "080556.875");
        ds.putString(Tag.Modality, VR.CS, "CR");
        ds.putString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        ds.putString(Tag.PatientID, VR.LO, "10000032");
        ds.putString(Tag.ViewPosition, VR.CS, "PA");
        ds.putString(Tag.PerformedProcedureStepDescription, VR.LO, "CHEST (PA AND LAT)");
        ds.putCode(Tag.ProcedureCodeSequence, "CXR2", "L", "CHEST (PA AND LAT)");
        ds.putCode(Tag.ViewCodeSequence, "R-10214", "SRT", "postero-anterior");
        Dataset orient = new Dataset();
        orient.putString(Tag.CodeValue, VR.SH, "F-10440");
        orient.putString(Tag.CodingSchemeDesignator, VR.SH, "SRT");
        orient.putString(Tag.CodeMeaning, VR.LO, "Erect");
        orient.putCode(Tag.PatientOrientationModifierCodeSequence, "F-10310", "SRT", "vertical");
        ds.putSequence(Tag.PatientOrientationCodeSequence, List.of(orient));
        ds.putString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.2");
        ds.putString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.3");
        ds.putInt(Tag.SeriesNumber, VR.IS, 1);
        ds.putInt(Tag.InstanceNumber, VR.IS, 7);
        ds.putInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.putInt(Tag.Rows, VR.US, rows);
        ds.putInt(Tag.Columns, VR.US, cols);
        ds.putString(Tag.PixelSpacing, VR.DS, "0.139\\0.139");
        ds.putInt(Tag.BitsAllocated, VR.US, bits > 8 ? 16 : 8);
        ds.putInt(Tag.BitsStored, VR.US, bits);
        ds.putInt(Tag.HighBit, VR.US, bits - 1);
        ds.putInt(Tag.PixelRepresentation, VR.US, 0);
        ds.putString(Tag.RescaleIntercept, VR.DS, "0");
        ds.putString(Tag.RescaleSlope, VR.DS, "1");
        ds.putString(Tag.WindowCenter, VR.DS, "512.5");
        int bpp = bits > 8 ? 2 : 1;
        byte[] px = new byte[rows * cols * bpp];
        for (int i = 0; i < rows * cols; i++) {
            int v = (i * 7 + i / cols * 13) & ((1 << bits) - 1);
            px[i * bpp] = (byte) v;
            if (bpp == 2) {
                px[i * bpp + 1] = (byte) (v >>> 8);
            }
        }
        ds.putPixelData(bpp == 2 ? VR.OW : VR.OB, PixelData.ofNative(px, bpp == 2 ? VR.OW : VR.OB));
        return ds;
    }
}
