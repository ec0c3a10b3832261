package org.cxr.ingest.domain.intake;

/**
 * Why ingest refused an input. Small on purpose: operators count by it; the message gives detail.
 * Documented in docs/ingest.md ("Limits and reasons").
 */
public enum RejectReason {
    /** No DICM prefix and not parseable as a raw dataset. */
    NOT_DICOM,
    /** DICOM, but it ends early or is structurally broken. */
    MALFORMED_DICOM,
    /** StudyInstanceUID, SOPInstanceUID or PatientID is missing or empty. */
    MISSING_UID,
    /** Over {@code cxr.ingest.max-object-bytes} / {@code max-report-bytes}. */
    TOO_LARGE,
    /** A MIMIC-tree path or file name whose ids are not well-formed (dataset contract §2). */
    BAD_ID,
    /** A MIMIC-tree id already belongs to a patient/study that ingest assigned, or path and DICOM disagree. */
    ID_CLASH,
    /** A path that leaves the import root (.., symlink) or is not a regular file. */
    PATH_OUTSIDE_ROOT,
    /** A file that is neither DICOM nor a report in the expected layout. */
    UNSUPPORTED_FILE,
    /** The report bytes are not valid in the declared (or default UTF-8) character set. */
    UNDECODABLE_REPORT,
    /** The report is empty or only whitespace. */
    EMPTY_REPORT,
    /** A report for a study that ingest does not know, without a patient id to create it. */
    UNKNOWN_STUDY,
    /**
     * The pixels may carry identifying text (BurnedInAnnotation not NO, a secondary capture, a screen
     * capture) and the source is not allowed to send such images ({@code cxr.ingest.burned-in-allowed-sources}).
     */
    BURNED_IN_RISK,
    /** A value the database refuses (SQLSTATE class 22/23), e.g. a SOPClassUID longer than 64 characters. */
    INVALID_VALUE
}
