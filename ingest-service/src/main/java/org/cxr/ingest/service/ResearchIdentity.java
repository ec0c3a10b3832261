package org.cxr.ingest.service;

/** The research ids of one instance (dicomId null for a study-level lookup) and its subject's date shift. */
public record ResearchIdentity(String subjectId, String studyId, String dicomId, int dateOffsetDays) {
}
