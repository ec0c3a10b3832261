package org.cxr.generator.phi;

/**
 * What a gold span marks: an identifier a scrubber must mask, or clinical text it must keep.
 * The identifier kinds follow issue 13's list (HIPAA Safe Harbor's identifiers as they occur in
 * radiology reports and DICOM headers).
 */
public enum PhiKind {
    /** The patient's own name (the tokens the DICOM's PatientName holds), in any form. */
    PATIENT_NAME,
    /** Any other person: doctors, nurses, technologists, family. */
    NAME,
    /** Telephone, pager and fax numbers, extensions. */
    PHONE,
    /** Medical record number (the DICOM PatientID). */
    MRN,
    ACCESSION,
    SSN,
    /** Any other long identifier: encounter, order, insurance member, device serial numbers. */
    ID,
    /** A date more precise than a year: numeric, month names, ISO, with or without the year. */
    DATE,
    /** An age of 90 or over. */
    AGE,
    /** A street address (number and street, apartment). */
    ADDRESS,
    ZIP,
    /** A city or state written next to an address. */
    LOCATION,
    EMAIL,
    URL,
    /** A hospital or other institution, including outside hospitals. */
    INSTITUTION,
    /** A date or time of the study inside DICOM headers (StudyDate, ...): listed for the leak scan only. */
    STUDY_DATE,
    /** A DICOM UID the hospital assigned (study, series, instance): listed for the leak scan only. */
    UID,

    /** Must survive: an eponym (Hodgkin, Parkinson, Graves, Kerley B lines, Swan-Ganz, Dobhoff, ...). */
    KEEP_EPONYM,
    /** Must survive: left, right, bilateral. */
    KEEP_LATERALITY,
    /** Must survive: a word that is also a month or a name ("may", "march fracture"). */
    KEEP_WORD,
    /** Must survive: a clinical number (a size, a level, an age under 90, a device size). */
    KEEP_NUMBER;

    /** True for what a scrubber must mask; false for what it must keep. */
    public boolean identifier() {
        return !name().startsWith("KEEP_");
    }
}
