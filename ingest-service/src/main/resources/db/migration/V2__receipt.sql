-- Receipts: what an upload answers to the uploader instead of research ids (issue 12 item 4). A
-- receipt is a keyed digest of the object's research ids (the same object always gets the same
-- one); a researcher or operator turns it into the ids with GET /receipts/{receipt}.
create table receipt (
    receipt    char(32)    primary key,
    study_id   char(8)     not null references study,
    dicom_id   char(44)    references instance_id (dicom_id),
    revision   integer,
    created_at timestamptz not null default now(),
    check ((dicom_id is null) <> (revision is null))
);
