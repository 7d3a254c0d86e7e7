-- Every rule set that has decided anything, by version (content hash), kept to replay old decisions.
CREATE TABLE rule_set (
    version   VARCHAR(64)              NOT NULL PRIMARY KEY,
    drl       VARCHAR(1048576)         NOT NULL,
    loaded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
