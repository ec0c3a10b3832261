package org.cxr.convert.domain;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomWriter;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;
import org.cxr.dicom.UID;
import org.cxr.dicom.VR;

/** DICOM files the tests build themselves (written with libs/dicom). */
public final class TestDicom {
    private TestDicom() {
    }

    /** A grayscale CR header with metadata values and no pixel data. */
    public static Dataset header(int rows, int columns, int bitsAllocated, int bitsStored, boolean signed,
                                 String photometric) {
        Dataset ds = new Dataset();
        ds.putString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.putString(Tag.SOPClassUID, VR.UI, UID.COMPUTED_RADIOGRAPHY_IMAGE_STORAGE);
        ds.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.77");
        ds.putString(Tag.StudyDate, VR.DA, "21800506");
        ds.putString(Tag.StudyTime, VR.TM, "080556.875");
        ds.putString(Tag.Modality, VR.CS, "CR");
        ds.putString(Tag.PatientID, VR.LO, "10000032");
        ds.putString(Tag.StudyID, VR.SH, "50414267");
        ds.putString(Tag.ViewPosition, VR.CS, "PA");
        ds.putString(Tag.PerformedProcedureStepDescription, VR.LO, "CHEST (PA AND LAT) – résumé");
        ds.putCode(Tag.ProcedureCodeSequence, "CXR2", "L", "CHEST (PA AND LAT)");
        ds.putCode(Tag.ViewCodeSequence, "R-10214", "SRT", "postero-anterior");
        ds.putCode(Tag.PatientOrientationCodeSequence, "F-10440", "SRT", "Erect");
        ds.putInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.putString(Tag.PhotometricInterpretation, VR.CS, photometric);
        ds.putInt(Tag.Rows, VR.US, rows);
        ds.putInt(Tag.Columns, VR.US, columns);
        ds.putInt(Tag.BitsAllocated, VR.US, bitsAllocated);
        ds.putInt(Tag.BitsStored, VR.US, bitsStored);
        ds.putInt(Tag.HighBit, VR.US, bitsStored - 1);
        ds.putInt(Tag.PixelRepresentation, VR.US, signed ? 1 : 0);
        ds.putString(Tag.RescaleSlope, VR.DS, "2");       // must be ignored by the recipe
        ds.putString(Tag.WindowCenter, VR.DS, "100");     // idem
        return ds;
    }

    /** Native pixel data (little endian) holding {@code values}. */
    public static Dataset image(int rows, int columns, int bitsAllocated, int bitsStored, boolean signed,
                                String photometric, int[] values) {
        Dataset ds = header(rows, columns, bitsAllocated, bitsStored, signed, photometric);
        int bytes = bitsAllocated / 8;
        ByteBuffer bb = ByteBuffer.allocate(values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            switch (bytes) {
                case 1 -> bb.put((byte) v);
                case 2 -> bb.putShort((short) v);
                default -> bb.putInt(v);
            }
        }
        VR vr = bytes == 1 ? VR.OB : VR.OW;
        ds.putPixelData(vr, PixelData.ofNative(bb.array(), vr));
        return ds;
    }

    /** A smooth 12-bit test pattern. */
    public static int[] pattern(int rows, int columns, int bits) {
        int[] v = new int[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                v[r * columns + c] = (int) ((Math.sin(r / 7.0) * Math.cos(c / 11.0) + 1) / 2 * ((1 << bits) - 1));
            }
        }
        return v;
    }

    public static byte[] write(Dataset ds, String transferSyntax) {
        return DicomWriter.toBytes(ds, transferSyntax);
    }

    /** Encapsulated pixel data with the given frames under an encapsulated syntax. */
    public static byte[] encapsulated(Dataset header, String transferSyntax, List<byte[]> frames) {
        header.putPixelData(VR.OB, PixelData.ofFrames(frames));
        if (frames.size() > 1) {
            header.putInt(Tag.NumberOfFrames, VR.IS, frames.size());
        }
        return DicomWriter.toBytes(header, transferSyntax);
    }

    public static byte[] explicitLe(Dataset ds) {
        return write(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
