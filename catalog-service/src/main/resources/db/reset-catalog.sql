-- Empties the catalog (keeps the schema): every fact, derived row, release record and outbox entry.
-- Used before rebuilding the catalog by replaying the topics from the beginning (docs/catalog.md).
-- Takes the catalog write lock so that it never interleaves with an indexing transaction, and
-- starts a new epoch so that running services drop their in-memory query index.
BEGIN;
SELECT pg_advisory_xact_lock(1129861699);
TRUNCATE subject, subject_split, split_pin, study, image, report_revision, report_labelling, report, study_label,
         dead_letter, outbox, dataset_release_file, dataset_release, import_progress, redrive;
INSERT INTO catalog_meta (meta_key, meta_value) VALUES ('epoch', md5(random()::text || clock_timestamp()::text))
ON CONFLICT (meta_key) DO UPDATE SET meta_value = EXCLUDED.meta_value;
COMMIT;
