package org.cxr.events;

/** How an instance or report reached the platform. */
public enum Source {
    REST, STOW_RS, IMPORT, DROP_FOLDER,
    /** DICOM C-STORE from a PACS or modality (ingest's DIMSE SCP). */
    DIMSE,
    /** An HL7 v2 ORU^R01 report from a RIS over MLLP. */
    HL7
}
