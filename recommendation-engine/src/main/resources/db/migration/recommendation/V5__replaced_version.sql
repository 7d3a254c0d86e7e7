-- The version an activation replaced. A rollback returns to exactly that one, and a second rollback to
-- the one before it; never to a version that was itself rolled back (ordering by activated_at did).
ALTER TABLE model_version ADD COLUMN replaced VARCHAR(64) REFERENCES model_version (id);
-- Versions activated before this column: the one activated just before them.
UPDATE model_version m SET replaced = (
    SELECT p.id FROM model_version p
    WHERE p.activated_at IS NOT NULL AND p.activated_at < m.activated_at
    ORDER BY p.activated_at DESC LIMIT 1)
WHERE m.activated_at IS NOT NULL;
