-- Redrive (issue 16 item 2): the outbox carries a redriven event's attempt count (header cxr-attempts).
-- redrive.sent_at is when the event was queued in the outbox (it is sent after that transaction commits).
ALTER TABLE outbox ADD COLUMN attempts integer;
