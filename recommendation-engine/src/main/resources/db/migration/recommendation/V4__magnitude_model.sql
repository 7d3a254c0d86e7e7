-- The step classifier (one or two ladder steps) trained beside the direction classifier; null for
-- versions registered before magnitudes were learned (they propose one step).
ALTER TABLE model_version ADD COLUMN magnitude_proto BYTEA;
