-- What each SHADOW version proposed for live traffic, beside what the ACTIVE version proposed.
-- Shadow proposals never reach the rules; this table exists only for the agreement report.
CREATE TABLE shadow_prediction (
    id                 VARCHAR(64)              NOT NULL PRIMARY KEY,
    shadow_model       VARCHAR(64)              NOT NULL REFERENCES model_version (id),
    active_model       VARCHAR(64)              NOT NULL REFERENCES model_version (id),
    patient_id         VARCHAR(64)              NOT NULL,
    scored_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    input_hash         CHAR(64)                 NOT NULL,
    active_direction   VARCHAR(16)              NOT NULL,
    shadow_direction   VARCHAR(16)              NOT NULL,
    active_probability DOUBLE PRECISION         NOT NULL,
    shadow_probability DOUBLE PRECISION         NOT NULL
);
CREATE INDEX shadow_prediction_model ON shadow_prediction (shadow_model, scored_at);
