-- The audit outbox. An append inserts its event here, in the transaction of the work it records
-- (atomic with it, and with no row shared between transactions). The sequencer chains committed
-- staged events into audit_entry in batches, under the audit_head lock, and removes them in the same
-- commit; audit_entry.staged_id names the staged event each entry came from, at most once.
CREATE SEQUENCE audit_staged_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE audit_staged (
    id          BIGINT                   NOT NULL PRIMARY KEY,
    staged_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    event_type  VARCHAR(64)              NOT NULL,
    actor_id    VARCHAR(200)             NOT NULL,
    patient_id  VARCHAR(64),
    detail      VARCHAR(1048576)         NOT NULL
);

ALTER TABLE audit_entry ADD COLUMN staged_id BIGINT;
CREATE UNIQUE INDEX audit_entry_staged ON audit_entry (staged_id);
