package org.cxr.events;

/** Default bucket names (each service can override them by configuration). */
public final class Buckets {
    private Buckets() {
    }

    /** De-identified DICOM instances as stored by ingest. */
    public static final String RAW = "cxr-dicom";
    /** De-identified report texts. */
    public static final String REPORTS = "cxr-reports";
    /** Converted JPGs in the dataset layout. */
    public static final String JPG = "cxr-jpg";
    /** Dataset releases (CSV files, checksums, README). */
    public static final String RELEASES = "cxr-releases";
}
