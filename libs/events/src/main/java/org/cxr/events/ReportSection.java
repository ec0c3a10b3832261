package org.cxr.events;

/** Which part of the report was labelled (dataset contract §4). */
public enum ReportSection {
    IMPRESSION, FINDINGS, LAST_PARAGRAPH, COMPARISON, NONE
}
