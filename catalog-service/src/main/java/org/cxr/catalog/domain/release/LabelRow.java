package org.cxr.catalog.domain.release;

/** One labelled study of a release: the 14 values (1, 0, -1, null) in published column order. */
public record LabelRow(int subjectId, int studyId, Short[] values, String labelerVersion) {
}
