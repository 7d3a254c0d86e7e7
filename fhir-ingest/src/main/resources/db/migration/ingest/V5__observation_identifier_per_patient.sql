-- A reading's identity is (patient, identifier system, identifier value), no longer (system, value).
--
-- Identifiers are chosen by the sender (a gateway's reading id), so a unique index across all
-- patients let one patient store an Observation under an identifier another patient's gateway
-- would send later; that reading was then answered 200 with the first patient's resource and
-- dropped. Scoped to the patient, a retry of the same reading for the same patient still finds
-- the stored one, and the same identifier for another patient is that patient's own reading.
--
-- Existing rows are unique under the old index, so they are unique under the wider key too.
-- Plain SQL that PostgreSQL and H2 (PostgreSQL mode) both run.
DROP INDEX observation_identifier;
CREATE UNIQUE INDEX observation_identifier ON observation (patient_id, identifier_system, identifier_value);
