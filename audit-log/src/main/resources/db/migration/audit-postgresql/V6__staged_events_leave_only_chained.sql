-- A staged event is never changed, and it leaves audit_staged only by being chained: the sequencer's
-- DELETE succeeds for rows an audit_entry names as its source, in the same transaction; any other
-- DELETE, any UPDATE and any TRUNCATE is refused, as changes to audit_entry are. (Not an
-- "append_only" function: the service's role must be able to DELETE what it chained.)
CREATE OR REPLACE FUNCTION audit_staged_leaves_only_chained() RETURNS trigger AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        RAISE EXCEPTION 'audit_staged: % refused (a staged event leaves only by being chained)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_entry WHERE staged_id = OLD.id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_staged: % of staged event % refused (a staged event leaves only by being chained)',
        TG_OP, OLD.id USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_staged_guard BEFORE UPDATE OR DELETE ON audit_staged
    FOR EACH ROW EXECUTE FUNCTION audit_staged_leaves_only_chained();
CREATE TRIGGER audit_staged_no_truncate BEFORE TRUNCATE ON audit_staged
    FOR EACH STATEMENT EXECUTE FUNCTION audit_staged_leaves_only_chained();
