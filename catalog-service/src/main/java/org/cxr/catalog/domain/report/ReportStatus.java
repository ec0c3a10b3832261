package org.cxr.catalog.domain.report;

/** Where a study's report is: announced, labelled, or rejected by the label stage. */
public enum ReportStatus {
    RECEIVED, LABELLED, FAILED
}
