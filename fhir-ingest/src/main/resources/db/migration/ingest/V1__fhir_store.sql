-- Patients as received over FHIR, with the columns searches and the care-team lookup need.
CREATE TABLE patient (
    id                   VARCHAR(64)              NOT NULL PRIMARY KEY,
    identifier_system    VARCHAR(200),
    identifier_value     VARCHAR(200),
    family_name          VARCHAR(200),
    given_name           VARCHAR(200),
    birth_date           DATE,
    gender               VARCHAR(16),
    general_practitioner VARCHAR(64),
    version_id           INTEGER                  NOT NULL,
    last_updated         TIMESTAMP WITH TIME ZONE NOT NULL,
    resource_json        VARCHAR(1048576)         NOT NULL
);
CREATE INDEX patient_identifier ON patient (identifier_system, identifier_value);
CREATE INDEX patient_practitioner ON patient (general_practitioner);

-- Observations, placed by effective time (not arrival time).
CREATE TABLE observation (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id    VARCHAR(64)              NOT NULL REFERENCES patient (id),
    code          VARCHAR(32)              NOT NULL,
    status        VARCHAR(16)              NOT NULL,
    effective_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    systolic      DOUBLE PRECISION,
    diastolic     DOUBLE PRECISION,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    received_from VARCHAR(200)             NOT NULL,
    version_id    INTEGER                  NOT NULL,
    resource_json VARCHAR(1048576)         NOT NULL
);
CREATE INDEX observation_patient_time ON observation (patient_id, code, effective_at);
