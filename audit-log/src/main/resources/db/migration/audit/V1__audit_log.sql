-- The audit log: one row per entry, chained by hash; one head row that appenders lock.
CREATE TABLE audit_entry (
    sequence_no    BIGINT                   NOT NULL PRIMARY KEY,
    format_version INTEGER                  NOT NULL,
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    event_type     VARCHAR(64)              NOT NULL,
    actor_id       VARCHAR(200)             NOT NULL,
    patient_id     VARCHAR(64),
    detail         VARCHAR(1048576)         NOT NULL,
    previous_hash  CHAR(64)                 NOT NULL,
    entry_hash     CHAR(64)                 NOT NULL
);
CREATE INDEX audit_entry_patient ON audit_entry (patient_id, sequence_no);
CREATE INDEX audit_entry_type ON audit_entry (event_type, sequence_no);

CREATE TABLE audit_head (
    id            INTEGER  NOT NULL PRIMARY KEY,
    last_sequence BIGINT   NOT NULL,
    last_hash     CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
