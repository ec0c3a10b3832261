package org.cxr.catalog.rest;

import java.time.Instant;

import org.cxr.catalog.repository.entity.ImageEntity;
import org.cxr.events.ObjectKeys;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON bodies of the image endpoints (GET /images, GET /images/{dicomId}, and a study's images).
 * Ids are strings of 8 digits (as in the events).
 */
public final class ImageDtos {
    private ImageDtos() {
    }

    @Schema(description = "An image (DICOM instance) with its JPG and the metadata columns as read from the DICOM")
    public record Image(String dicomId, String studyId, String subjectId,
            @Schema(description = "PENDING, CONVERTED or FAILED") String status,
            @Schema(description = "relative path in a release: files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg") String path,
            String viewPosition, Integer rows, Integer columns,
            @Schema(description = "DICOM StudyDate as stored, e.g. 21800506") String studyDate,
            @Schema(description = "DICOM StudyTime as stored, e.g. 080556.875") String studyTime,
            String performedProcedureStepDescription, String procedureCodeSequenceCodeMeaning,
            String viewCodeSequenceCodeMeaning, String patientOrientationCodeSequenceCodeMeaning,
            String jpgBucket, String jpgKey, Long jpgBytes, String converterVersion, Instant convertedAt,
            Boolean constantImage, String dicomBucket, String dicomKey, Long dicomBytes, String dicomSha256,
            String transferSyntaxUid, Instant receivedAt, String failureReason, String failureMessage, Instant failedAt) {

        static Image of(ImageEntity i) {
            return new Image(i.dicomId, Integer.toString(i.studyId), Integer.toString(i.subjectId), i.status,
                    ObjectKeys.jpg(Integer.toString(i.subjectId), Integer.toString(i.studyId), i.dicomId),
                    i.viewPosition, i.rows, i.columns, i.studyDate, i.studyTime, i.performedProcedureStepDescription,
                    i.procedureCodeMeaning, i.viewCodeMeaning, i.patientOrientationCodeMeaning, i.jpgBucket, i.jpgKey,
                    i.jpgBytes, i.converterVersion, i.convertedAt, i.constantImage, i.dicomBucket, i.dicomKey,
                    i.dicomBytes, i.dicomSha256, i.transferSyntaxUid, i.receivedAt, i.failureReason, i.failureMessage,
                    i.failedAt);
        }
    }
}
