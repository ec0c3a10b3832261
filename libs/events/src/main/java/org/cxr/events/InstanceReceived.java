package org.cxr.events;

import java.time.Instant;

/**
 * A de-identified DICOM instance is stored at {@code bucket/objectKey}.
 *
 * @param sha256 of the stored (de-identified) object
 */
public record InstanceReceived(
        int schemaVersion,
        String subjectId,
        String studyId,
        String dicomId,
        String bucket,
        String objectKey,
        String sha256,
        long sizeBytes,
        String transferSyntaxUid,
        String sopClassUid,
        Source source,
        Instant receivedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.instance-received.v1";

    public InstanceReceived {
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
        return "instance-received:" + dicomId + ":" + sha256;
    }
}
