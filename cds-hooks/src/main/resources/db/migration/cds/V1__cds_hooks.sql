-- CDS Hooks. The JWT ids each EHR has used, kept until their token expires: a jti seen again
-- within its lifetime is a replay, whichever instance sees it (the primary key decides).
CREATE TABLE cds_jwt_seen (
    issuer     VARCHAR(400)             NOT NULL,
    jti        VARCHAR(200)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX cds_jwt_seen_expiry ON cds_jwt_seen (expires_at);

-- The proposal cards issued to an EHR: feedback names a card, and only the EHR it was issued to
-- may give it.
CREATE TABLE cds_card (
    uuid        VARCHAR(36)              NOT NULL PRIMARY KEY,
    service_id  VARCHAR(64)              NOT NULL,
    issuer      VARCHAR(400)             NOT NULL,
    patient_id  VARCHAR(64)              NOT NULL,
    proposal_id VARCHAR(64)              NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
