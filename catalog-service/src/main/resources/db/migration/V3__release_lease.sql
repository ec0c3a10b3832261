-- Releases with several catalog replicas: the replica writing a release holds a lease on it (owner,
-- lease_until, renewed by its heartbeat). Another replica fails a RUNNING release only once its lease
-- expired (a row from before this migration has none: expired); a failed release's objects are then
-- removed, and cleanup_pending stays true until they are.
ALTER TABLE dataset_release ADD COLUMN owner varchar(200);
ALTER TABLE dataset_release ADD COLUMN lease_until timestamptz;
ALTER TABLE dataset_release ADD COLUMN cleanup_pending boolean NOT NULL DEFAULT false;
