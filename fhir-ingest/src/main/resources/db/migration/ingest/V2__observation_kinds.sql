-- Observations of every accepted kind: a value in the kind's unit or a coded value; the sender's
-- identifier (for conditional create, so a retried reading is never stored twice) and device.
ALTER TABLE observation ADD COLUMN value_number DOUBLE PRECISION;
ALTER TABLE observation ADD COLUMN value_unit VARCHAR(64);
ALTER TABLE observation ADD COLUMN value_code VARCHAR(64);
ALTER TABLE observation ADD COLUMN identifier_system VARCHAR(200);
ALTER TABLE observation ADD COLUMN identifier_value VARCHAR(200);
ALTER TABLE observation ADD COLUMN device_id VARCHAR(64);
CREATE UNIQUE INDEX observation_identifier ON observation (identifier_system, identifier_value);
CREATE INDEX observation_updated ON observation (received_at);

-- Devices (the wearable), each belonging to one patient.
CREATE TABLE device (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id    VARCHAR(64)              REFERENCES patient (id),
    type_text     VARCHAR(200),
    version_id    INTEGER                  NOT NULL,
    last_updated  TIMESTAMP WITH TIME ZONE NOT NULL,
    resource_json VARCHAR(1048576)         NOT NULL
);
CREATE INDEX device_patient ON device (patient_id);

-- Patient-reported medication intake (MedicationStatement).
CREATE TABLE medication_statement (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id    VARCHAR(64)              NOT NULL REFERENCES patient (id),
    taken_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(32)              NOT NULL,
    rxnorm        VARCHAR(32),
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    resource_json VARCHAR(1048576)         NOT NULL
);
CREATE INDEX medication_statement_patient ON medication_statement (patient_id, taken_at);
