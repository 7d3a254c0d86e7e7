-- Signed tree heads (RFC 6962 style) and the public keys that signed them; both append-only.
CREATE TABLE audit_tree_head (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    tree_size  BIGINT                   NOT NULL,
    root_hash  CHAR(64)                 NOT NULL,
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id     VARCHAR(64)              NOT NULL,
    algorithm  VARCHAR(32)              NOT NULL,
    signature  VARCHAR(512)             NOT NULL
);
CREATE INDEX audit_tree_head_size ON audit_tree_head (tree_size, issued_at);

CREATE TABLE audit_key (
    key_id     VARCHAR(64)              NOT NULL PRIMARY KEY,
    algorithm  VARCHAR(32)              NOT NULL,
    public_key VARCHAR(2048)            NOT NULL,
    first_used TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX audit_entry_actor ON audit_entry (actor_id, sequence_no);
CREATE INDEX audit_entry_time ON audit_entry (recorded_at);
