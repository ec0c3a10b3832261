package org.cxr.events;

import java.time.Instant;
import java.util.List;

/**
 * The labelled section of a study's report and both labelers' vectors. {@code section == NONE}
 * means the report had no labellable text: the study then gets no label row.
 *
 * @param mentions the observation mentions the labelers kept, as spans of {@code sectionText} in
 *                 text order (for highlighting); null for section NONE and in events written
 *                 before the field existed
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
        Instant labelledAt,
        List<MentionSpan> mentions) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.report-labelled.v1";

    public ReportLabelled {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
        mentions = mentions == null ? null : List.copyOf(mentions);
        if (mentions != null && sectionText != null) {
            for (MentionSpan m : mentions) {
                if (m.end() > sectionText.length()) {
                    throw new IllegalArgumentException("mention [" + m.start() + ", " + m.end() + ") beyond sectionText ("
                            + sectionText.length() + " characters)");
                }
            }
        }
    }

    /** An event without mention spans (the fields before {@code mentions} were added). */
    public ReportLabelled(int schemaVersion, String subjectId, String studyId, String reportKey, String reportSha256,
            ReportSection section, String sectionText, LabelVector chexpert, LabelVector negbio, String labelerVersion,
            Instant labelledAt) {
        this(schemaVersion, subjectId, studyId, reportKey, reportSha256, section, sectionText, chexpert, negbio,
                labelerVersion, labelledAt, null);
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
