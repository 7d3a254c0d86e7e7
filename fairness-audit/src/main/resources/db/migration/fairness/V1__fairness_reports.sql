-- Fairness reports: stored, versioned per kind, never changed; each is also in the audit log.
CREATE TABLE fairness_report (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    kind         VARCHAR(16)              NOT NULL,
    version      INTEGER                  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(200)             NOT NULL,
    period_from  TIMESTAMP WITH TIME ZONE,
    period_to    TIMESTAMP WITH TIME ZONE,
    content_hash CHAR(64)                 NOT NULL,
    content_json VARCHAR(10485760)        NOT NULL,
    CONSTRAINT fairness_report_version UNIQUE (kind, version)
);
