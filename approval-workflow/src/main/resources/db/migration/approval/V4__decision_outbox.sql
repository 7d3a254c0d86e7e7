-- The decision outbox: ingest stores a reading and, in the same transaction, marks its patient
-- due for a decision; a worker takes due patients (FOR UPDATE SKIP LOCKED, so several service
-- instances share the work) and makes one decision over all of a patient's pending readings.
-- One row per patient with a regimen, created with the regimen and never deleted: ingest only
-- ever UPDATEs it, so two first readings of a patient never race to insert it. The quiet period
-- after a proposal: a reading measured before quiet_reading_until (the proposal's reading plus the
-- period) is not decided before quiet_until (the proposal's time plus the period). The UPDATE
-- compares them after taking the row's lock, so a reading racing a decision sees its result.
CREATE TABLE decision_queue (
    patient_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    due_at           TIMESTAMP WITH TIME ZONE,
    pending_since    TIMESTAMP WITH TIME ZONE,
    pending_readings INTEGER                  NOT NULL,
    last_proposal_at    TIMESTAMP WITH TIME ZONE,
    quiet_until         TIMESTAMP WITH TIME ZONE,
    quiet_reading_until TIMESTAMP WITH TIME ZONE,
    decisions        BIGINT                   NOT NULL,
    readings_decided BIGINT                   NOT NULL
);
CREATE INDEX decision_queue_due ON decision_queue (due_at);
INSERT INTO decision_queue (patient_id, pending_readings, decisions, readings_decided)
    SELECT patient_id, 0, 0, 0 FROM regimen;

-- The readings a patient's next decision covers (deleted by the decision that covered them).
CREATE TABLE pending_reading (
    observation_id VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id     VARCHAR(64)              NOT NULL,
    effective_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    queued_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX pending_reading_patient ON pending_reading (patient_id, effective_at);

-- At most one open proposal per patient: a newer decision cancels the open task (superseded),
-- and a change of regimen cancels tasks proposed from the old dose (stale).
ALTER TABLE approval_task ADD COLUMN successor_task VARCHAR(64);
CREATE INDEX approval_task_open ON approval_task (patient_id, status, created_at);


-- A crisis reading nobody has confirmed or refuted yet: the patient was told to measure again;
-- if no reading arrives by watch_until, the alert is raised anyway (an unconfirmed crisis is never
-- silently dropped).
CREATE TABLE crisis_watch (
    observation_id VARCHAR(64)              NOT NULL PRIMARY KEY,
    patient_id     VARCHAR(64)              NOT NULL,
    effective_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    watch_until    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX crisis_watch_until ON crisis_watch (watch_until);
CREATE INDEX crisis_watch_patient ON crisis_watch (patient_id);
