-- ingest's own tables. No original identifier is stored: patients, studies and instances are
-- keyed by HMAC-SHA256 digests (cxr.ingest.id-secret) of (issuer, PatientID), StudyInstanceUID
-- and SOPInstanceUID. See docs/ingest.md.

-- One row per research subject. patient_key is null for subjects that came with a MIMIC tree.
create table subject (
    subject_id       char(8)     primary key,
    patient_key      char(64)    unique,
    origin           varchar(8)  not null check (origin in ('ASSIGNED', 'MIMIC')),
    date_offset_days integer     not null,
    created_at       timestamptz not null default now()
);

-- Digests of the tokens of a patient's name, to scrub them from reports that arrive later.
create table subject_name_token (
    subject_id char(8)  not null references subject,
    token_key  char(64) not null,
    primary key (subject_id, token_key)
);

-- One row per research study. study_key is null for studies that came with a MIMIC tree.
create table study (
    study_id   char(8)     primary key,
    study_key  char(64)    unique,
    subject_id char(8)     not null references subject,
    origin     varchar(8)  not null check (origin in ('ASSIGNED', 'MIMIC')),
    created_at timestamptz not null default now()
);
create index study_subject on study (subject_id);

-- SOPInstanceUID digest -> dicom_id, reserved before the object is stored so that a retry after
-- any failure reuses the same ids (and the same deterministic object key and event id).
create table instance_id (
    instance_key char(64)    primary key,
    dicom_id     char(44)    not null unique,
    study_id     char(8)     not null references study,
    created_at   timestamptz not null default now()
);

-- An instance that is stored in the raw bucket and announced (the row commits after the broker's ack).
create table instance (
    dicom_id            char(44)    primary key references instance_id (dicom_id),
    study_id            char(8)     not null references study,
    source_sha256       char(64)    not null,
    sha256              char(64)    not null,
    size_bytes          bigint      not null,
    object_key          varchar(200) not null,
    transfer_syntax_uid varchar(64),
    sop_class_uid       varchar(64),
    source              varchar(16) not null,
    received_at         timestamptz not null
);
create index instance_study on instance (study_id);

-- The same SOPInstanceUID received again with different bytes: recorded, never stored over the original.
create table instance_conflict (
    id            bigserial   primary key,
    dicom_id      char(44)    not null references instance_id (dicom_id),
    source_sha256 char(64)    not null,
    size_bytes    bigint      not null,
    source        varchar(16) not null,
    received_at   timestamptz not null,
    unique (dicom_id, source_sha256)
);

-- Every accepted revision of a study's report; the highest revision is the current one.
create table report_revision (
    study_id      char(8)     not null references study,
    revision      integer     not null,
    source_sha256 char(64)    not null,
    sha256        char(64)    not null,
    size_bytes    bigint      not null,
    object_key    varchar(200) not null,
    source        varchar(16) not null,
    received_at   timestamptz not null,
    primary key (study_id, revision)
);

-- Imports started through POST /imports or the CLI, with their progress.
create table import_job (
    id          uuid         primary key,
    path        varchar(4096) not null,
    layout      varchar(8)   not null,
    state       varchar(12)  not null,
    counters    text         not null,
    started_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    finished_at timestamptz
);
