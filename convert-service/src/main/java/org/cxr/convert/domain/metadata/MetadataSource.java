package org.cxr.convert.domain.metadata;

import org.cxr.dicom.Dataset;
import org.cxr.dicom.Tag;
import org.cxr.events.ImageMetadata;

/**
 * Where the image metadata columns of mimic-cxr-2.0.0-metadata.csv come from: the header values as
 * stored (decoded with the Specific Character Set and trimmed; null when absent).
 * {@link MetadataFormat} turns them into the published cell texts.
 */
public final class MetadataSource {
    private MetadataSource() {
    }

    /** The header's values, with the Rows and Columns of the image converted. */
    public static ImageMetadata read(Dataset ds, int rows, int columns) {
        return new ImageMetadata(
                ds.getString(Tag.PerformedProcedureStepDescription),
                ds.getString(Tag.ViewPosition),
                rows,
                columns,
                ds.getString(Tag.StudyDate),
                ds.getString(Tag.StudyTime),
                ds.codeMeaning(Tag.ProcedureCodeSequence),
                ds.codeMeaning(Tag.ViewCodeSequence),
                ds.codeMeaning(Tag.PatientOrientationCodeSequence));
    }
}
