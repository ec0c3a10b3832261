package org.cxr.generator;

import java.io.IOException;
import java.io.OutputStream;

import org.cxr.events.ImageMetadata;
import org.cxr.generator.identity.Identities;
import org.cxr.generator.image.ChestPhantom;
import org.cxr.generator.image.ImageSpec;

/**
 * One generated DICOM instance. Its header values are fixed at generation; its pixels and file bytes
 * are computed on each call of {@link #pixelData()} / {@link #bytes()} (deterministic, not cached:
 * a caller streaming thousands of studies keeps constant memory).
 */
public final class GeneratedInstance {
    /** Study-level header values shared by the instances of a study. */
    record StudyHeader(
            Patient patient,
            String patientAge,
            String studyInstanceUid,
            String studyDate,
            String studyTime,
            String accessionNumber,
            String dicomStudyId,
            String referringPhysician,
            String operator,
            String institutionName,
            String institutionAddress,
            String procedure,
            String procedureCode,
            String stationName,
            Identities.Device device,
            String deviceSerialNumber) {
    }

    final StudyHeader study;
    final int instanceNumber;
    final String dicomId;
    final String sopClassUid;
    final String sopInstanceUid;
    final String seriesInstanceUid;
    final String seriesTime;
    final String viewPosition;
    final String viewCodeMeaning;
    final String patientOrientationCodeMeaning;
    final String pixelSpacing;
    final ImageSpec image;
    final long pixelSeed;

    GeneratedInstance(StudyHeader study, int instanceNumber, String dicomId, String sopClassUid, String sopInstanceUid,
                      String seriesInstanceUid, String seriesTime, String viewPosition, String viewCodeMeaning,
                      String patientOrientationCodeMeaning, String pixelSpacing, ImageSpec image, long pixelSeed) {
        this.study = study;
        this.instanceNumber = instanceNumber;
        this.dicomId = dicomId;
        this.sopClassUid = sopClassUid;
        this.sopInstanceUid = sopInstanceUid;
        this.seriesInstanceUid = seriesInstanceUid;
        this.seriesTime = seriesTime;
        this.viewPosition = viewPosition;
        this.viewCodeMeaning = viewCodeMeaning;
        this.patientOrientationCodeMeaning = patientOrientationCodeMeaning;
        this.pixelSpacing = pixelSpacing;
        this.image = image;
        this.pixelSeed = pixelSeed;
    }

    /** The research dicom_id the generator assigned (the file name in the MIMIC tree layout). */
    public String dicomId() {
        return dicomId;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    /** ViewPosition as written; empty when the header leaves it empty. */
    public String viewPosition() {
        return viewPosition;
    }

    public ImageSpec image() {
        return image;
    }

    public String transferSyntaxUid() {
        return image.syntax().uid();
    }

    /** The values behind the metadata CSV columns, as written in the header (null = absent). */
    public ImageMetadata metadata() {
        return new ImageMetadata(study.procedure(), viewPosition, image.rows(), image.columns(), study.studyDate(),
                study.studyTime(), study.procedure(), viewCodeMeaning, patientOrientationCodeMeaning);
    }

    /**
     * The stored pixel values, native little endian ({@code bitsAllocated / 8} bytes per pixel). For
     * JPEG baseline instances these are the values before lossy compression.
     */
    public byte[] pixelData() {
        return ChestPhantom.render(image, pixelSeed);
    }

    /** The DICOM Part 10 file. */
    public byte[] bytes() {
        return DicomEncoder.encode(this);
    }

    /** Writes the DICOM Part 10 file to {@code out} (the same bytes as {@link #bytes()}, without holding them). */
    public void writeTo(OutputStream out) throws IOException {
        DicomEncoder.write(this, out);
    }
}
