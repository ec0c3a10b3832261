package org.cxr.catalog.repository;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

import org.cxr.catalog.domain.indexing.FactOrder;
import org.cxr.events.EventJson;
import org.cxr.events.ImportProgress;

/**
 * The {@code import_progress} table: the latest state of each import ingest announced (the highest
 * sequence wins, so a repeated or late event changes nothing).
 */
final class ImportProgressRows {
    private static final String UPSERT = "INSERT INTO import_progress (import_id, layout, state, sequence, files_total,"
            + " files_seen, accepted, duplicates, conflicts, rejected, failed, skipped, rejected_by_reason, bytes,"
            + " started_at, updated_at, finished_at, recorded_at)"
            + " SELECT i, l, st, sq, ft, fs, ac, du, co, rj, fa, sk, rr::jsonb, b, sa::timestamptz, ua::timestamptz,"
            + " fi::timestamptz, ?::timestamptz"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],"
            + " ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::text[])"
            + " AS t(i, l, st, sq, ft, fs, ac, du, co, rj, fa, sk, rr, b, sa, ua, fi)"
            + " ON CONFLICT (import_id) DO UPDATE SET layout = EXCLUDED.layout, state = EXCLUDED.state,"
            + " sequence = EXCLUDED.sequence, files_total = EXCLUDED.files_total, files_seen = EXCLUDED.files_seen,"
            + " accepted = EXCLUDED.accepted, duplicates = EXCLUDED.duplicates, conflicts = EXCLUDED.conflicts,"
            + " rejected = EXCLUDED.rejected, failed = EXCLUDED.failed, skipped = EXCLUDED.skipped,"
            + " rejected_by_reason = EXCLUDED.rejected_by_reason, bytes = EXCLUDED.bytes, started_at = EXCLUDED.started_at,"
            + " updated_at = EXCLUDED.updated_at, finished_at = EXCLUDED.finished_at, recorded_at = EXCLUDED.recorded_at"
            + " WHERE import_progress.sequence < EXCLUDED.sequence";

    private final JdbcArrays db;
    private final String now;

    ImportProgressRows(JdbcArrays db, String now) {
        this.db = db;
        this.now = now;
    }

    void upsert(List<ImportProgress> all) throws SQLException {
        List<ImportProgress> rows = FactOrder.winners(all, ImportProgress::importId,
                Comparator.comparingLong(ImportProgress::sequence));
        db.update(UPSERT, now, db.text(rows, ImportProgress::importId), db.text(rows, ImportProgress::layout),
                db.text(rows, ImportProgress::state), db.int8(rows, ImportProgress::sequence),
                db.int8(rows, ImportProgress::filesTotal), db.int8(rows, ImportProgress::filesSeen),
                db.int8(rows, ImportProgress::accepted), db.int8(rows, ImportProgress::duplicates),
                db.int8(rows, ImportProgress::conflicts), db.int8(rows, ImportProgress::rejected),
                db.int8(rows, ImportProgress::failed), db.int8(rows, ImportProgress::skipped),
                db.text(rows, p -> EventJson.mapper().valueToTree(p.rejectedByReason()).toString()),
                db.int8(rows, ImportProgress::bytes), db.text(rows, p -> p.startedAt().toString()),
                db.text(rows, p -> p.updatedAt().toString()),
                db.text(rows, p -> p.finishedAt() == null ? null : p.finishedAt().toString()));
    }
}
