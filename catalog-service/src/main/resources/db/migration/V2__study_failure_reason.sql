-- Why a FAILED study failed: the label stage's reason when its report was rejected, else the most
-- common reason among its instances (all of which failed). Derived, like the rest of the study row.
ALTER TABLE study ADD COLUMN failure_reason varchar(64);
