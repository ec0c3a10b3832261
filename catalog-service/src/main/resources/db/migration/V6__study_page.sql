-- Study pages read a report's mention spans from its labelling (report_labelling.mentions, V4);
-- the copy on the report row V4 planned is not needed.
ALTER TABLE report DROP COLUMN mentions;
