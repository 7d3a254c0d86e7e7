-- Model versions: the serialized Tribuo model (protobuf), its provenance and held-out metrics.
CREATE TABLE model_version (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    ordinal         INTEGER                  NOT NULL UNIQUE,
    algorithm       VARCHAR(400)             NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    provenance_json VARCHAR(4194304)         NOT NULL,
    provenance_hash CHAR(64)                 NOT NULL,
    dataset_hash    CHAR(64)                 NOT NULL,
    seed            BIGINT                   NOT NULL,
    trained_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    metrics_json    VARCHAR(65536)           NOT NULL,
    model_proto     BYTEA                    NOT NULL,
    registered_by   VARCHAR(200)             NOT NULL,
    activated_by    VARCHAR(200),
    activated_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX model_version_status ON model_version (status);
