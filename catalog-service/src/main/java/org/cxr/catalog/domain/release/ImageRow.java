package org.cxr.catalog.domain.release;

/**
 * One converted image of a released study, with the raw DICOM header values (formatted by the
 * writer) and where its JPG is.
 */
public record ImageRow(String dicomId, int subjectId, int studyId, String performedProcedureStepDescription,
        String viewPosition, Integer rows, Integer columns, String studyDate, String studyTime,
        String procedureCodeMeaning, String viewCodeMeaning, String patientOrientationCodeMeaning, String split,
        String converterVersion, String jpgBucket, String jpgKey) {
}
