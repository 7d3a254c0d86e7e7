-- Who asserted each observation (ObservationSource.code()): ehr-system, clinician, patient, system,
-- or unknown. Only ehr-system and clinician values can clear a contraindication; the others may add
-- one, never clear one (Contraindications).
--
-- Rows stored before this migration get 'unknown': received_from holds only the sender's account
-- name, not the role it acted in, so no row can be shown to come from an EHR system or clinician,
-- and a patient could have sent any of them (potassium included). An operator who can show from
-- the audit log that rows came from the EHR may relabel them in a reviewed later migration; this
-- one never guesses in the patient's disfavour.
--
-- The default only fills the existing rows (the application always writes the column); it stays
-- 'unknown' so that a writer that forgets the source is distrusted, not trusted. Plain SQL that
-- PostgreSQL and H2 (PostgreSQL mode) both run.
ALTER TABLE observation ADD COLUMN source VARCHAR(16) DEFAULT 'unknown' NOT NULL;
ALTER TABLE observation ADD CONSTRAINT observation_source_known
    CHECK (source IN ('ehr-system', 'clinician', 'patient', 'system', 'unknown'));
