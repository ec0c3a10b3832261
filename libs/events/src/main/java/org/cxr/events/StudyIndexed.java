package org.cxr.events;

import java.time.Instant;

/** The catalog's view of a study after indexing an event that changed it. */
public record StudyIndexed(
        int schemaVersion,
        String subjectId,
        String studyId,
        StudyState state,
        int imagesReceived,
        int imagesConverted,
        int imagesFailed,
        boolean labelled,
        String split,
        Instant indexedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.study-indexed.v1";

    public StudyIndexed {
        Ids.requireSubjectId(subjectId);
        Ids.requireStudyId(studyId);
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "study-indexed:" + studyId + ":" + state + ":" + imagesReceived + ":" + imagesConverted
                + ":" + imagesFailed + ":" + labelled;
    }

    /**
     * The ce_id of the re-announcement after an operator pinned the study's subject to another
     * split: {@link #eventId()} leaves the split out, so a deduplicating consumer would take the
     * re-announcement for an announcement it has already seen.
     */
    public String pinnedEventId() {
        return eventId() + ":" + split;
    }
}
