package org.cxr.events;

import java.time.Instant;

/**
 * The JPG of an instance is stored at {@code bucket/jpgKey} (dataset layout
 * {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg}).
 *
 * @param sourceSha256 sha256 of the DICOM object that was converted (ties the JPG to its input)
 * @param constantImage the image had a single stored value; the recipe then defines it as all zeros
 */
public record InstanceConverted(
        int schemaVersion,
        String subjectId,
        String studyId,
        String dicomId,
        String sourceKey,
        String sourceSha256,
        String bucket,
        String jpgKey,
        long jpgBytes,
        String transferSyntaxUid,
        boolean constantImage,
        ImageMetadata metadata,
        String converterVersion,
        long decodeMillis,
        long totalMillis,
        Instant convertedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.instance-converted.v1";

    public InstanceConverted {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
        Ids.requireDicomId(dicomId);
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "instance-converted:" + dicomId + ":" + sourceSha256;
    }
}
