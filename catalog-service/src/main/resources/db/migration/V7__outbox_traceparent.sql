-- Tracing (issue 16 item 7): an outbox event carries the W3C traceparent of the record that caused it
-- (a study-indexed event: the last record of its study in the batch; a dead letter: its record), sent as
-- the record's traceparent header, so a study's trace goes on past the catalog. Null: no trace (rows
-- written before this column, redrives, recomputes).
ALTER TABLE outbox ADD COLUMN traceparent varchar(55);
