-- Hospital intake (DIMSE, HL7): reports matched by accession number. Like every other identifier
-- here, AccessionNumber is kept only as a keyed digest (HMAC-SHA256 with cxr.ingest.id-secret).

-- The accession numbers seen on a study's instances (usually one; several studies may share one
-- accession number when a RIS orders them together, which a report then has to disambiguate
-- with its StudyInstanceUID).
create table study_accession (
    accession_key char(64)    not null,
    study_id      char(8)     not null references study,
    created_at    timestamptz not null default now(),
    primary key (accession_key, study_id)
);
create index study_accession_study on study_accession (study_id);

-- A report matched by accession number that arrived before any instance with that accession:
-- kept until the images come (then recorded like any report, in arrival order) or it expires.
-- The text is already scrubbed with the generic rules and the sender's patient name; the patient
-- identifiers the sender gave are digests, to check against the study's patient when it comes.
create table pending_report (
    id            bigserial    primary key,
    accession_key char(64)     not null,
    patient_keys  text         not null,
    report_text   text         not null,
    source        varchar(16)  not null,
    received_at   timestamptz  not null,
    expires_at    timestamptz  not null
);
create index pending_report_accession on pending_report (accession_key);
create index pending_report_expiry on pending_report (expires_at);
