-- Clinician decisions on model proposals, kept as labels linked to the proposing model version.
-- One row per decided proposal; rows are only ever added.
CREATE TABLE clinician_feedback (
    proposal_id        VARCHAR(64)              NOT NULL PRIMARY KEY,
    model_id           VARCHAR(64)              NOT NULL,
    patient_id         VARCHAR(64)              NOT NULL,
    proposed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    features_json      VARCHAR(65536)           NOT NULL,
    proposed_direction VARCHAR(16)              NOT NULL,
    from_step          INTEGER                  NOT NULL,
    proposed_step      INTEGER                  NOT NULL,
    action             VARCHAR(16)              NOT NULL,
    chosen_step        INTEGER                  NOT NULL,
    reason             VARCHAR(64),
    label              VARCHAR(16),
    label_note         VARCHAR(1000)            NOT NULL,
    decided_by         VARCHAR(200)             NOT NULL,
    decided_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX clinician_feedback_decided ON clinician_feedback (decided_at);

-- Which feedback a model version was trained on, in training order and with its weight, so that
-- the version's training data can be rebuilt and checked against its dataset hash.
CREATE TABLE model_training_feedback (
    id          VARCHAR(140)     NOT NULL PRIMARY KEY,
    model_id    VARCHAR(64)      NOT NULL REFERENCES model_version (id),
    proposal_id VARCHAR(64)      NOT NULL REFERENCES clinician_feedback (proposal_id),
    ordinal     INTEGER          NOT NULL,
    weight      DOUBLE PRECISION NOT NULL
);
CREATE INDEX model_training_feedback_model ON model_training_feedback (model_id, ordinal);
