-- The operator pages (issue 16): imports, stage rates, dead letters and their redrive, mention spans.

-- The latest state of each import ingest announces on cxr.import-progress (highest sequence wins).
CREATE TABLE import_progress (
    import_id          varchar(64)  PRIMARY KEY,
    layout             varchar(64),
    state              varchar(16)  NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED', 'INTERRUPTED')),
    sequence           bigint       NOT NULL,
    files_total        bigint       NOT NULL,
    files_seen         bigint       NOT NULL,
    accepted           bigint       NOT NULL,
    duplicates         bigint       NOT NULL,
    conflicts          bigint       NOT NULL,
    rejected           bigint       NOT NULL,
    failed             bigint       NOT NULL,
    skipped            bigint       NOT NULL,
    rejected_by_reason jsonb        NOT NULL,
    bytes              bigint       NOT NULL,
    started_at         timestamptz  NOT NULL,
    updated_at         timestamptz  NOT NULL,
    finished_at        timestamptz,
    recorded_at        timestamptz  NOT NULL
);
CREATE INDEX import_progress_started ON import_progress (started_at DESC);

-- Stage rates per minute/hour read these times (the pipeline page and GET /pipeline).
CREATE INDEX image_received_at ON image (received_at);
CREATE INDEX image_converted_at ON image (converted_at);
CREATE INDEX image_failed_at ON image (failed_at);
CREATE INDEX report_revision_received_at ON report_revision (received_at);
CREATE INDEX report_revision_failed_at ON report_revision (failed_at);
CREATE INDEX report_labelling_labelled_at ON report_labelling (labelled_at);
CREATE INDEX study_completed_at ON study (state_since) WHERE state = 'COMPLETE';
CREATE INDEX dead_letter_stage_reason ON dead_letter (stage, reason, recorded_at);

-- A dead letter's attempts (DeadLetter.attempts, history as JSON) and what became of it.
ALTER TABLE dead_letter ADD COLUMN attempts integer;
ALTER TABLE dead_letter ADD COLUMN history text;

-- Every redrive of a dead letter: who asked, when, which record was sent (one row per dead letter and
-- request id, so a repeated click of the same request sends nothing twice).
CREATE TABLE redrive (
    redrive_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      varchar(400) NOT NULL REFERENCES dead_letter (event_id),
    request_id    varchar(100) NOT NULL,
    topic         varchar(100) NOT NULL,
    attempts      integer      NOT NULL,
    requested_by  varchar(200) NOT NULL,
    requested_at  timestamptz  NOT NULL,
    sent_at       timestamptz,
    UNIQUE (event_id, request_id)
);
CREATE INDEX redrive_pending ON redrive (redrive_id) WHERE sent_at IS NULL;

-- The mention spans label-service sends with a labelling (ReportLabelled.mentions, JSON), and the
-- current report's copy.
ALTER TABLE report_labelling ADD COLUMN mentions text;
ALTER TABLE report ADD COLUMN mentions text;
