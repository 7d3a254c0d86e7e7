-- A wearable gateway is a source of its own ('device-gateway'): device measurements only, never trusted
-- to clear a contraindication. Before, it signed in as 'ehr-system' and could assert labs.
ALTER TABLE observation DROP CONSTRAINT observation_source_known;
ALTER TABLE observation ADD CONSTRAINT observation_source_known
    CHECK (source IN ('ehr-system', 'device-gateway', 'clinician', 'patient', 'system', 'unknown'));
