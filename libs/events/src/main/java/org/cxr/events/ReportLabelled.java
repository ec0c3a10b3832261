package org.cxr.events;

import java.time.Instant;

/**
 * The labelled section of a study's report and both labelers' vectors. {@code section == NONE}
 * means the report had no labellable text: the study then gets no label row.
 */
public record ReportLabelled(
        int schemaVersion,
        String subjectId,
        String studyId,
        String reportKey,
        String reportSha256,
        ReportSection section,
        String sectionText,
        LabelVector chexpert,
        LabelVector negbio,
        String labelerVersion,
        Instant labelledAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.report-labelled.v1";

    public ReportLabelled {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "report-labelled:" + studyId + ":" + reportSha256 + ":" + labelerVersion;
    }
}
