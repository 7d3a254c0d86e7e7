-- Bounds: spacing and monthly limits of automatic changes; signing and activation are separate acts.
ALTER TABLE safety_bounds ADD COLUMN min_days_between_auto INTEGER DEFAULT 7 NOT NULL;
ALTER TABLE safety_bounds ADD COLUMN max_auto_per_30_days INTEGER DEFAULT 2 NOT NULL;
ALTER TABLE safety_bounds ADD COLUMN activated_by VARCHAR(200);
ALTER TABLE safety_bounds ADD COLUMN activated_at TIMESTAMP WITH TIME ZONE;
UPDATE safety_bounds SET activated_by = authored_by, activated_at = authored_at WHERE active = TRUE;

-- Earned autonomy, per patient.
CREATE TABLE autonomy (
    patient_id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    consecutive_approvals INTEGER                  NOT NULL,
    required_approvals    INTEGER                  NOT NULL,
    earned                BOOLEAN                  NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    reason                VARCHAR(400)             NOT NULL
);

-- Deliveries the app has not acknowledged in time are flagged; modified approvals are marked.
ALTER TABLE dose_adjustment ADD COLUMN flagged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dose_adjustment ADD COLUMN modified BOOLEAN DEFAULT FALSE NOT NULL;

-- Alerts: merged when repeated, acknowledged by a clinician, escalated when not.
ALTER TABLE safety_alert ADD COLUMN status VARCHAR(16) DEFAULT 'OPEN' NOT NULL;
ALTER TABLE safety_alert ADD COLUMN occurrences INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE safety_alert ADD COLUMN last_seen TIMESTAMP WITH TIME ZONE;
ALTER TABLE safety_alert ADD COLUMN acknowledged_by VARCHAR(200);
ALTER TABLE safety_alert ADD COLUMN acknowledged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE safety_alert ADD COLUMN escalated_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX safety_alert_open ON safety_alert (status, created_at);

-- Tasks expire; a modified approval records the dose the clinician chose.
ALTER TABLE approval_task ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE approval_task ADD COLUMN modified_to_step INTEGER;

-- The blood-pressure goal a clinician sets with the patient.
CREATE TABLE care_goal (
    patient_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    systolic_target  DOUBLE PRECISION         NOT NULL,
    diastolic_target DOUBLE PRECISION         NOT NULL,
    set_by           VARCHAR(200)             NOT NULL,
    set_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
