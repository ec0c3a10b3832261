package org.cxr.events;

import java.time.Instant;

/**
 * A de-identified report of a study is stored at {@code bucket/objectKey}. A study has one report;
 * a changed re-sent report (an addendum) is a new revision that replaces the previous one.
 */
public record ReportReceived(
        int schemaVersion,
        String subjectId,
        String studyId,
        String bucket,
        String objectKey,
        String sha256,
        long sizeBytes,
        int revision,
        Source source,
        Instant receivedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.report-received.v1";

    public ReportReceived {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "report-received:" + studyId + ":" + sha256;
    }
}
