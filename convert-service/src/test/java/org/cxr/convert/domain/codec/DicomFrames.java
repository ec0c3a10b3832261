package org.cxr.convert.domain.codec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;

/**
 * A compressed DICOM file as the codec tests need it, read with org.cxr.dicom: transfer syntax,
 * Image Pixel attributes and the codestream of every frame. Unlike the converter it keeps pixel
 * data cut short by the end of the file (GH1339, emri_small_jpeg_2k_lossless_too_short), whose
 * first frames are still decodable.
 */
record DicomFrames(String transferSyntax, ImageDescriptor descriptor, PixelData pixelData) {

    static DicomFrames read(Path file) throws IOException, DicomException {
        DicomFile dicom = DicomReader.read(file);
        Dataset ds = dicom.dataset();
        PixelData px = dicom.pixelData();
        if (px == null || !px.isEncapsulated()) {
            throw new IOException(file + ": no encapsulated pixel data");
        }
        int bitsStored = ds.getInt(Tag.BitsStored, 0, 0);
        int n = Math.max(1, ds.getInt(Tag.NumberOfFrames, 0, 1));
        ImageDescriptor d = new ImageDescriptor(ds.getInt(Tag.Rows, 0, 0), ds.getInt(Tag.Columns, 0, 0),
                ds.getInt(Tag.SamplesPerPixel, 0, 1), ds.getInt(Tag.BitsAllocated, 0, 0), bitsStored,
                ds.getInt(Tag.HighBit, 0, bitsStored - 1), ds.getInt(Tag.PixelRepresentation, 0, 0) == 1,
                ds.getString(Tag.PhotometricInterpretation, ""), ds.getInt(Tag.PlanarConfiguration, 0, 0), n);
        return new DicomFrames(dicom.transferSyntax().uid(), d, px);
    }

    /** The codestream of frame {@code index}. */
    byte[] frame(int index) throws IOException {
        return pixelData.readFrame(index, descriptor.numberOfFrames());
    }

    /** The codestreams of all frames. */
    List<byte[]> frames() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < descriptor.numberOfFrames(); i++) {
            frames.add(frame(i));
        }
        return frames;
    }
}
