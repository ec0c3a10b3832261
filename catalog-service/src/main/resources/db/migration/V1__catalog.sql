-- catalog-service schema, version 1.
--
-- Two kinds of tables:
--   facts    what the events said, keyed by natural ids, written with idempotent upserts
--            (image, report_revision, report_labelling, dead_letter, subject, subject_split);
--   derived  recomputed from the facts of a study whenever one of them changes
--            (study, report, study_label), so that replaying events in any order converges.
-- Every writing transaction holds the catalog write lock (pg_advisory_xact_lock) while it draws
-- numbers from change_seq: commit order equals change_seq order, so "change_seq > N" is an exact
-- "changed after the snapshot that saw N" (incremental releases, the query read model).

CREATE SEQUENCE change_seq AS bigint;

CREATE TABLE catalog_meta (
    meta_key   varchar(64)  PRIMARY KEY,
    meta_value varchar(200) NOT NULL
);
-- A new epoch tells readers (the in-memory query index) that the catalog was emptied/rebuilt.
INSERT INTO catalog_meta (meta_key, meta_value) VALUES ('epoch', md5(random()::text || clock_timestamp()::text));

CREATE TABLE subject (
    subject_id    integer     PRIMARY KEY CHECK (subject_id BETWEEN 10000000 AND 19999999),
    first_seen_at timestamptz NOT NULL
);

-- A subject's split: assigned once when the subject is first seen, or pinned by an operator.
CREATE TABLE subject_split (
    subject_id  integer      PRIMARY KEY REFERENCES subject (subject_id),
    split       varchar(8)   NOT NULL CHECK (split IN ('train', 'validate', 'test')),
    method      varchar(8)   NOT NULL CHECK (method IN ('ASSIGNED', 'PINNED')),
    split_rule  varchar(300) NOT NULL,
    assigned_at timestamptz  NOT NULL,
    pinned_by   varchar(200),
    pin_reason  varchar(1000),
    pinned_at   timestamptz
);
CREATE INDEX subject_split_pinned ON subject_split (method) WHERE method = 'PINNED';

-- Audit trail of operator pins.
CREATE TABLE split_pin (
    pin_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id integer      NOT NULL REFERENCES subject (subject_id),
    old_split  varchar(8),
    new_split  varchar(8)   NOT NULL CHECK (new_split IN ('train', 'validate', 'test')),
    pinned_by  varchar(200) NOT NULL,
    reason     varchar(1000),
    pinned_at  timestamptz  NOT NULL
);
CREATE INDEX split_pin_subject ON split_pin (subject_id);

-- Derived per study (see StudyStateRule). split is a copy of subject_split.split for filtering.
CREATE TABLE study (
    study_id         integer      PRIMARY KEY CHECK (study_id BETWEEN 50000000 AND 59999999),
    subject_id       integer      NOT NULL REFERENCES subject (subject_id),
    state            varchar(10)  NOT NULL CHECK (state IN ('RECEIVED', 'CONVERTED', 'LABELLED', 'COMPLETE', 'FAILED')),
    images_known     integer      NOT NULL DEFAULT 0,
    images_converted integer      NOT NULL DEFAULT 0,
    images_failed    integer      NOT NULL DEFAULT 0,
    report_received  boolean      NOT NULL DEFAULT false,
    labelled         boolean      NOT NULL DEFAULT false,
    report_failed    boolean      NOT NULL DEFAULT false,
    study_date       date,
    view_positions   varchar(64)[] NOT NULL DEFAULT '{}',
    split            varchar(8)   CHECK (split IN ('train', 'validate', 'test')),
    change_seq       bigint       NOT NULL,
    state_since      timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL
);
CREATE INDEX study_change_seq ON study (change_seq);
CREATE INDEX study_subject ON study (subject_id, study_id);
CREATE INDEX study_complete ON study (subject_id, study_id) WHERE state = 'COMPLETE';

-- One row per DICOM instance: facts from instance-received, instance-converted and convert
-- dead letters. status is derived: a JPG exists -> CONVERTED, else a failure -> FAILED, else PENDING.
CREATE TABLE image (
    dicom_id            varchar(44) COLLATE "C" PRIMARY KEY,
    study_id            integer      NOT NULL REFERENCES study (study_id),
    subject_id          integer      NOT NULL REFERENCES subject (subject_id),
    status              varchar(10)  GENERATED ALWAYS AS (
                            CASE WHEN jpg_key IS NOT NULL THEN 'CONVERTED'
                                 WHEN failure_reason IS NOT NULL THEN 'FAILED'
                                 ELSE 'PENDING' END) STORED,
    -- instance-received
    dicom_bucket        varchar(63),
    dicom_key           varchar(300),
    dicom_sha256        varchar(64),
    dicom_bytes         bigint,
    transfer_syntax_uid varchar(64),
    sop_class_uid       varchar(64),
    source              varchar(12),
    received_at         timestamptz,
    -- instance-converted
    jpg_bucket          varchar(63),
    jpg_key             varchar(300),
    jpg_bytes           bigint,
    source_sha256       varchar(64),
    constant_image      boolean,
    converter_version   varchar(100),
    converted_at        timestamptz,
    -- the DICOM header values behind mimic-cxr-2.0.0-metadata.csv, as the converter read them
    performed_procedure_step_description text,
    view_position       varchar(64),
    image_rows          integer,
    image_columns       integer,
    study_date          varchar(32),
    study_time          varchar(64),
    procedure_code_meaning text,
    view_code_meaning   text,
    patient_orientation_code_meaning text,
    -- convert dead letter
    failure_reason      varchar(32),
    failure_message     text,
    failed_at           timestamptz,
    updated_at          timestamptz  NOT NULL
);
CREATE INDEX image_study ON image (study_id, dicom_id);

-- Report revisions announced by ingest (report-received), plus label-stage failures of a revision.
CREATE TABLE report_revision (
    study_id        integer      NOT NULL REFERENCES study (study_id),
    sha256          varchar(64)     NOT NULL,
    revision        integer,
    report_bucket   varchar(63),
    report_key      varchar(300),
    size_bytes      bigint,
    source          varchar(12),
    received_at     timestamptz,
    failure_reason  varchar(32),
    failure_message text,
    failed_at       timestamptz,
    PRIMARY KEY (study_id, sha256)
);

-- Every labelling result (report-labelled); the current one is chosen by ReportResolver.
-- Label vectors: 14 values in published column order; 1 / 0 / -1, NULL = not mentioned.
CREATE TABLE report_labelling (
    study_id        integer      NOT NULL REFERENCES study (study_id),
    report_sha256   varchar(64)     NOT NULL,
    labeler_version varchar(100) NOT NULL,
    report_key      varchar(300),
    section         varchar(16)  NOT NULL CHECK (section IN ('IMPRESSION', 'FINDINGS', 'LAST_PARAGRAPH', 'COMPARISON', 'NONE')),
    section_text    text         NOT NULL,
    chexpert        smallint[],
    negbio          smallint[],
    labelled_at     timestamptz  NOT NULL,
    PRIMARY KEY (study_id, report_sha256, labeler_version)
);

-- Derived: the study's current report.
CREATE TABLE report (
    study_id        integer      PRIMARY KEY REFERENCES study (study_id),
    status          varchar(10)  NOT NULL CHECK (status IN ('RECEIVED', 'LABELLED', 'FAILED')),
    report_key      varchar(300),
    report_sha256   varchar(64),
    revision        integer,
    section         varchar(16),
    section_text    text,
    labeler_version varchar(100),
    labelled_at     timestamptz,
    failure_reason  varchar(32),
    failure_message text,
    updated_at      timestamptz  NOT NULL
);

-- Derived: the current labels of a study per labeler (absent when the labelled section is NONE).
CREATE TABLE study_label (
    study_id                   integer      NOT NULL REFERENCES study (study_id),
    labeler                    varchar(8)   NOT NULL CHECK (labeler IN ('chexpert', 'negbio')),
    atelectasis                smallint CHECK (atelectasis IN (-1, 0, 1)),
    cardiomegaly               smallint CHECK (cardiomegaly IN (-1, 0, 1)),
    consolidation              smallint CHECK (consolidation IN (-1, 0, 1)),
    edema                      smallint CHECK (edema IN (-1, 0, 1)),
    enlarged_cardiomediastinum smallint CHECK (enlarged_cardiomediastinum IN (-1, 0, 1)),
    fracture                   smallint CHECK (fracture IN (-1, 0, 1)),
    lung_lesion                smallint CHECK (lung_lesion IN (-1, 0, 1)),
    lung_opacity               smallint CHECK (lung_opacity IN (-1, 0, 1)),
    no_finding                 smallint CHECK (no_finding = 1),
    pleural_effusion           smallint CHECK (pleural_effusion IN (-1, 0, 1)),
    pleural_other              smallint CHECK (pleural_other IN (-1, 0, 1)),
    pneumonia                  smallint CHECK (pneumonia IN (-1, 0, 1)),
    pneumothorax               smallint CHECK (pneumothorax IN (-1, 0, 1)),
    support_devices            smallint CHECK (support_devices IN (-1, 0, 1)),
    labeler_version            varchar(100) NOT NULL,
    report_sha256              varchar(64)     NOT NULL,
    PRIMARY KEY (study_id, labeler)
);

-- Every dead letter seen on cxr.convert.dlq / cxr.label.dlq and every one the catalog wrote.
CREATE TABLE dead_letter (
    event_id          varchar(400) PRIMARY KEY,
    topic             varchar(100) NOT NULL,
    stage             varchar(16),
    reason            varchar(32),
    message           text,
    subject_id        integer,
    study_id          integer,
    dicom_id          varchar(44),
    original_topic    varchar(100),
    original_event_id varchar(400),
    payload           text         NOT NULL,
    failed_at         timestamptz,
    recorded_at       timestamptz  NOT NULL
);
CREATE INDEX dead_letter_study ON dead_letter (study_id);

-- Transactional outbox: events written with the change that caused them, published after commit.
CREATE TABLE outbox (
    outbox_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      varchar(100) NOT NULL,
    event_key  varchar(100),
    event_id   varchar(400) NOT NULL,
    event_type varchar(100) NOT NULL,
    payload    text         NOT NULL,
    created_at timestamptz  NOT NULL
);

CREATE TABLE dataset_release (
    release_id       integer      PRIMARY KEY,
    status           varchar(10)  NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    since_release_id integer      REFERENCES dataset_release (release_id),
    since_seq        bigint,
    with_images      boolean      NOT NULL,
    high_water_mark  bigint,
    location         varchar(300) NOT NULL,
    images           integer,
    studies          integer,
    subjects         integer,
    chexpert_rows    integer,
    negbio_rows      integer,
    readme           text,
    error            text,
    requested_by     varchar(200),
    created_at       timestamptz  NOT NULL,
    finished_at      timestamptz
);

CREATE TABLE dataset_release_file (
    release_id integer      NOT NULL REFERENCES dataset_release (release_id),
    name       varchar(300) NOT NULL,
    bytes      bigint       NOT NULL,
    sha256     varchar(64)     NOT NULL,
    PRIMARY KEY (release_id, name)
);
