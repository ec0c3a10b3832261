package org.cxr.catalog.domain.release;

import java.util.List;

/** The names of a release's files, as published (dataset contract §3). */
public final class ReleaseFiles {
    public static final String METADATA = "mimic-cxr-2.0.0-metadata.csv.gz";
    public static final String CHEXPERT = "mimic-cxr-2.0.0-chexpert.csv.gz";
    public static final String NEGBIO = "mimic-cxr-2.0.0-negbio.csv.gz";
    public static final String SPLIT = "mimic-cxr-2.0.0-split.csv.gz";
    public static final String IMAGE_FILENAMES = "IMAGE_FILENAMES";
    public static final String SHA256SUMS = "SHA256SUMS.txt";
    public static final String README = "README.md";

    /** The tabular files, whose bytes depend only on the catalog content. */
    public static final List<String> CSVS = List.of(METADATA, CHEXPERT, NEGBIO, SPLIT);

    /** Every file except the JPGs, in the order they are listed. */
    public static final List<String> ALL = List.of(IMAGE_FILENAMES, README, SHA256SUMS, CHEXPERT, METADATA, NEGBIO,
            SPLIT);

    public static final List<String> METADATA_COLUMNS = List.of("dicom_id", "subject_id", "study_id",
            "PerformedProcedureStepDescription", "ViewPosition", "Rows", "Columns", "StudyDate", "StudyTime",
            "ProcedureCodeSequence_CodeMeaning", "ViewCodeSequence_CodeMeaning",
            "PatientOrientationCodeSequence_CodeMeaning");

    public static final List<String> SPLIT_COLUMNS = List.of("dicom_id", "study_id", "subject_id", "split");

    private ReleaseFiles() {
    }

    /** True for a name a release may contain: one of {@link #ALL} or a JPG under files/. */
    public static boolean isReleaseFile(String name) {
        return ALL.contains(name) || isImagePath(name);
    }

    /** {@code files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg} with well-formed ids. */
    public static boolean isImagePath(String name) {
        return name != null && name.matches("files/p1\\d/p1\\d{7}/s5\\d{7}/[0-9a-f]{8}(-[0-9a-f]{8}){4}\\.jpg")
                && name.substring(7, 9).equals(name.substring(11, 13));
    }
}
