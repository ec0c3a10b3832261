package org.cxr.events;

/**
 * The DICOM header values behind the columns of {@code mimic-cxr-2.0.0-metadata.csv.gz}, as read
 * (trimmed strings, null when absent). The release writer applies the published number formats
 * (StudyDate as an integer, StudyTime as a number without leading zeros).
 */
public record ImageMetadata(
        String performedProcedureStepDescription,
        String viewPosition,
        int rows,
        int columns,
        String studyDate,
        String studyTime,
        String procedureCodeSequenceCodeMeaning,
        String viewCodeSequenceCodeMeaning,
        String patientOrientationCodeSequenceCodeMeaning) {
}
