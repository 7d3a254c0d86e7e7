-- Safety bounds: one row per signed version; exactly one active version per patient at most.
CREATE TABLE safety_bounds (
    id               VARCHAR(100)             NOT NULL PRIMARY KEY,
    patient_id       VARCHAR(64)              NOT NULL,
    version          INTEGER                  NOT NULL,
    protocol         VARCHAR(64)              NOT NULL,
    lowest_step      INTEGER                  NOT NULL,
    highest_step     INTEGER                  NOT NULL,
    max_auto_steps   INTEGER                  NOT NULL,
    systolic_floor   DOUBLE PRECISION         NOT NULL,
    min_confidence   DOUBLE PRECISION         NOT NULL,
    autonomy_enabled BOOLEAN                  NOT NULL,
    authored_by      VARCHAR(200)             NOT NULL,
    authored_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    active           BOOLEAN                  NOT NULL,
    CONSTRAINT safety_bounds_version UNIQUE (patient_id, version)
);

-- What each patient takes now; the row is locked while a decision for that patient is made.
CREATE TABLE regimen (
    patient_id VARCHAR(64)              NOT NULL PRIMARY KEY,
    protocol   VARCHAR(64)              NOT NULL,
    dose_step  INTEGER                  NOT NULL,
    since      TIMESTAMP WITH TIME ZONE NOT NULL,
    set_by     VARCHAR(200)             NOT NULL,
    row_version BIGINT                  NOT NULL
);

-- Every model proposal with its inputs, model and the rules' decision.
CREATE TABLE proposal (
    id                  VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id          VARCHAR(64)              NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    trigger_observation VARCHAR(64)              NOT NULL,
    direction           VARCHAR(16)              NOT NULL,
    steps               INTEGER                  NOT NULL,
    probability         DOUBLE PRECISION         NOT NULL,
    from_step           INTEGER                  NOT NULL,
    to_step             INTEGER                  NOT NULL,
    features_json       VARCHAR(65536)           NOT NULL,
    input_hash          CHAR(64)                 NOT NULL,
    model_id            VARCHAR(64)              NOT NULL,
    model_provenance    CHAR(64)                 NOT NULL,
    rationale           VARCHAR(2000)            NOT NULL,
    tier                VARCHAR(16)              NOT NULL,
    rules_json          VARCHAR(65536)           NOT NULL,
    rules_version       VARCHAR(64)              NOT NULL,
    bounds_version      INTEGER                  NOT NULL
);
CREATE INDEX proposal_patient ON proposal (patient_id, created_at);

-- The clinician queue (FHIR Task, code approve).
CREATE TABLE approval_task (
    id                 VARCHAR(64)              NOT NULL PRIMARY KEY,
    proposal_id        VARCHAR(64)              NOT NULL REFERENCES proposal (id),
    patient_id         VARCHAR(64)              NOT NULL,
    status             VARCHAR(16)              NOT NULL,
    priority           VARCHAR(16)              NOT NULL,
    owner_practitioner VARCHAR(64),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by         VARCHAR(200),
    decided_at         TIMESTAMP WITH TIME ZONE,
    reason_code        VARCHAR(64),
    note               VARCHAR(2000),
    row_version        BIGINT                   NOT NULL
);
CREATE INDEX approval_task_owner ON approval_task (owner_practitioner, status);
CREATE INDEX approval_task_patient ON approval_task (patient_id, status);

-- Dose changes delivered to the patient's app (FHIR MedicationRequest, intent order).
CREATE TABLE dose_adjustment (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id      VARCHAR(64)              NOT NULL,
    proposal_id     VARCHAR(64)              NOT NULL UNIQUE REFERENCES proposal (id),
    from_step       INTEGER                  NOT NULL,
    to_step         INTEGER                  NOT NULL,
    medication      VARCHAR(200)             NOT NULL,
    rxnorm          VARCHAR(32)              NOT NULL,
    dose_value      DECIMAL(10, 3)           NOT NULL,
    dose_unit       VARCHAR(16)              NOT NULL,
    route           VARCHAR(16)              NOT NULL,
    approved_by     VARCHAR(200),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    acknowledged_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX dose_adjustment_patient ON dose_adjustment (patient_id, created_at);

-- Safety alerts (FHIR DetectedIssue).
CREATE TABLE safety_alert (
    id                  VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id          VARCHAR(64)              NOT NULL,
    proposal_id         VARCHAR(64),
    trigger_observation VARCHAR(64)              NOT NULL,
    code                VARCHAR(64)              NOT NULL,
    severity            VARCHAR(16)              NOT NULL,
    detail              VARCHAR(2000)            NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX safety_alert_patient ON safety_alert (patient_id, created_at);
