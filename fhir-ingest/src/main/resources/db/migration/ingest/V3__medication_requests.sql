-- Prescriptions as the EHR sends them (MedicationRequest, intent order): what the patient was
-- prescribed, by whom and when. The newest active order of a protocol's drug sets the regimen.
CREATE TABLE medication_request (
    id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id    VARCHAR(64)              NOT NULL REFERENCES patient (id),
    status        VARCHAR(32)              NOT NULL,
    intent        VARCHAR(32)              NOT NULL,
    rxnorm        VARCHAR(32),
    authored_on   TIMESTAMP WITH TIME ZONE NOT NULL,
    requester     VARCHAR(400),
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    received_by   VARCHAR(200)             NOT NULL,
    resource_json VARCHAR(1048576)         NOT NULL
);
CREATE INDEX medication_request_patient ON medication_request (patient_id, authored_on);
