package org.cxr.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.Tag;
import org.cxr.events.ImageMetadata;
import org.cxr.generator.image.ImageSpec;
import org.cxr.generator.image.RleEncoderTest;
import org.junit.jupiter.api.Test;

/** Every generated file parses with libs/dicom's reader and says what the generator meant. */
class DicomOutputTest {
    @Test
    void headersAndPixelsReadBackAsGenerated() throws Exception {
        List<GeneratedStudy> studies = new StudyGenerator(17, GeneratorOptions.defaults().withMaxSize(120, 100))
                .studies(60).toList();
        int encapsulated = 0;
        for (GeneratedStudy s : studies) {
            for (GeneratedInstance in : s.instances()) {
                DicomFile f = DicomReader.read(in.bytes());
                Dataset ds = f.dataset();
                ImageSpec img = in.image();
                assertThat(f.transferSyntax().uid()).isEqualTo(img.syntax().uid());
                assertThat(f.warnings()).isEmpty();
                assertThat(ds.getString(Tag.SOPInstanceUID)).isEqualTo(in.sopInstanceUid());
                assertThat(ds.getString(Tag.SOPClassUID)).isEqualTo(in.sopClassUid());
                assertThat(f.fileMeta().getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo(in.sopInstanceUid());
                assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(s.studyInstanceUid());
                assertThat(ds.getString(Tag.SeriesInstanceUID)).isEqualTo(in.seriesInstanceUid());
                assertThat(ds.getString(Tag.PatientID)).isEqualTo(s.patient().patientId());
                assertThat(ds.getString(Tag.IssuerOfPatientID)).isEqualTo(s.patient().issuerOfPatientId());
                assertThat(ds.getString(Tag.PatientName)).isEqualTo(s.patient().name());
                assertThat(ds.getString(Tag.AccessionNumber)).isEqualTo(s.accessionNumber());
                assertThat(ds.getInt(Tag.Rows).getAsInt()).isEqualTo(img.rows());
                assertThat(ds.getInt(Tag.Columns).getAsInt()).isEqualTo(img.columns());
                assertThat(ds.getInt(Tag.BitsAllocated).getAsInt()).isEqualTo(img.bitsAllocated());
                assertThat(ds.getInt(Tag.BitsStored).getAsInt()).isEqualTo(img.bitsStored());
                assertThat(ds.getInt(Tag.HighBit).getAsInt()).isEqualTo(img.bitsStored() - 1);
                assertThat(ds.getInt(Tag.PixelRepresentation).getAsInt()).isEqualTo(img.pixelRepresentation());
                assertThat(ds.getString(Tag.PhotometricInterpretation)).isEqualTo(img.photometric());

                ImageMetadata m = in.metadata();
                assertThat(ds.getString(Tag.PerformedProcedureStepDescription)).isEqualTo(m.performedProcedureStepDescription());
                assertThat(ds.getString(Tag.ViewPosition)).isEqualTo(m.viewPosition());
                assertThat(ds.getString(Tag.StudyDate)).isEqualTo(s.studyDate()).isEqualTo(m.studyDate());
                assertThat(ds.getString(Tag.StudyTime)).isEqualTo(s.studyTime()).isEqualTo(m.studyTime());
                assertThat(ds.codeMeaning(Tag.ProcedureCodeSequence)).isEqualTo(m.procedureCodeSequenceCodeMeaning());
                assertThat(ds.codeMeaning(Tag.ViewCodeSequence)).isEqualTo(m.viewCodeSequenceCodeMeaning());
                assertThat(ds.codeMeaning(Tag.PatientOrientationCodeSequence)).isEqualTo(m.patientOrientationCodeSequenceCodeMeaning());

                byte[] expected = in.pixelData();
                switch (img.syntax()) {
                    case RLE_LOSSLESS -> {
                        encapsulated++;
                        byte[] frame = f.pixelData().readFrame(0, 1);
                        assertThat(RleEncoderTest.decode(frame, img.rows(), img.columns(), img.bytesPerSample())).isEqualTo(expected);
                    }
                    case JPEG_BASELINE -> {
                        encapsulated++;
                        byte[] frame = f.pixelData().readFrame(0, 1);
                        assertThat(frame[0] & 0xff).isEqualTo(0xFF);
                        assertThat(frame[1] & 0xff).isEqualTo(0xD8); // SOI; decoded in PydicomInteropTest
                        assertThat(ds.getString(Tag.LossyImageCompression)).isEqualTo("01");
                    }
                    default -> assertThat(f.pixelData().readNative()).isEqualTo(expected);
                }
                assertStoredValuesInRange(expected, img);
            }
        }
        assertThat(encapsulated).isGreaterThan(5);
    }

    /** Every stored value fits BitsStored with the right signedness (sign-extended when signed). */
    static void assertStoredValuesInRange(byte[] px, ImageSpec img) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < px.length; i += img.bytesPerSample()) {
            int v = img.bytesPerSample() == 1 ? px[i] & 0xff
                    : img.pixelRepresentation() == 1 ? (short) ((px[i] & 0xff) | px[i + 1] << 8)
                    : (px[i] & 0xff) | (px[i + 1] & 0xff) << 8;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(img.minStored());
        assertThat(max).isLessThanOrEqualTo(img.maxStored());
        assertThat(max - min).as("the image uses a good part of its range").isGreaterThan((img.maxStored() - img.minStored()) / 2);
    }
}
