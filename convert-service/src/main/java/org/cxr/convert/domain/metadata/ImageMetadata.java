package org.cxr.convert.domain.metadata;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;

/**
 * The header values behind the image metadata columns of mimic-cxr-2.0.0-metadata.csv, as stored
 * (decoded with the Specific Character Set and trimmed); null when absent. Rows and Columns are
 * the US values. {@link MetadataFormat} turns them into the published cell texts.
 */
public record ImageMetadata(
        String performedProcedureStepDescription,
        String viewPosition,
        Integer rows,
        Integer columns,
        String studyDate,
        String studyTime,
        String procedureCodeMeaning,
        String viewCodeMeaning,
        String patientOrientationCodeMeaning) {

    /** Reads the values from a dataset header. */
    public static ImageMetadata of(Dataset ds) {
        return new ImageMetadata(
                ds.getString(Tag.PerformedProcedureStepDescription),
                ds.getString(Tag.ViewPosition),
                boxed(ds, Tag.Rows),
                boxed(ds, Tag.Columns),
                ds.getString(Tag.StudyDate),
                ds.getString(Tag.StudyTime),
                ds.codeMeaning(Tag.ProcedureCodeSequence),
                ds.codeMeaning(Tag.ViewCodeSequence),
                ds.codeMeaning(Tag.PatientOrientationCodeSequence));
    }

    private static Integer boxed(Dataset ds, int tag) {
        var v = ds.getInt(tag);
        return v.isPresent() ? v.getAsInt() : null;
    }
}
