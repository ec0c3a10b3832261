package org.cxr.events;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * ingest → catalog ({@link Topics#IMPORT_PROGRESS}, key = importId): where one import stands, sent
 * when it starts, every few seconds while it runs and once when it ends. Each event carries the
 * whole state (not a delta), so a consumer keeps the one with the highest {@code sequence} and a
 * lost or repeated event does no harm. Counts only: never the import's path (a folder name may
 * name a patient), a file name or any identifier. Unlike the study events it is keyed by the import:
 * send it with {@code KafkaEvents.message(event, source, event.importId(), time)}.
 *
 * @param importId         the import's id (ingest's UUID)
 * @param layout           how the folder was read (e.g. {@code mimic-cxr}, {@code dicom-folder}, {@code drop-folder})
 * @param state            RUNNING, DONE, FAILED or INTERRUPTED
 * @param sequence         1, 2, ... per import: the later state has the higher number
 * @param filesTotal       files found so far (grows while the folder is walked)
 * @param filesSeen        files handled
 * @param accepted         instances and reports stored
 * @param duplicates       instances already stored with the same bytes, unchanged reports
 * @param conflicts        instances already stored with other bytes
 * @param rejected         files refused (bad input), counted by reason in {@code rejectedByReason}
 * @param failed           files given up after transient errors (also by reason)
 * @param skipped          files that are neither DICOM nor reports
 * @param rejectedByReason rejected and failed files by FailureReason name (or ingest's reason code)
 * @param bytes            bytes read
 * @param startedAt        when the import started
 * @param updatedAt        when this state was taken
 * @param finishedAt       when it ended (null while RUNNING)
 */
public record ImportProgress(
        int schemaVersion,
        String importId,
        String layout,
        String state,
        long sequence,
        long filesTotal,
        long filesSeen,
        long accepted,
        long duplicates,
        long conflicts,
        long rejected,
        long failed,
        long skipped,
        Map<String, Long> rejectedByReason,
        long bytes,
        Instant startedAt,
        Instant updatedAt,
        Instant finishedAt) implements CxrEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TYPE = "org.cxr.import-progress.v1";

    public ImportProgress {
        if (importId == null || importId.isBlank() || importId.length() > 64) {
            throw new IllegalArgumentException("importId is required (at most 64 characters)");
        }
        if (state == null || sequence < 1) {
            throw new IllegalArgumentException("state and a sequence >= 1 are required");
        }
        rejectedByReason = rejectedByReason == null ? Map.of() : new TreeMap<>(rejectedByReason);
    }

    /** An import concerns no one study: no study id (the record key is the import id). */
    @Override
    public String studyId() {
        return null;
    }

    @Override
    public String subjectId() {
        return null;
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String eventId() {
        return "import-progress:" + importId + ":" + sequence;
    }
}
