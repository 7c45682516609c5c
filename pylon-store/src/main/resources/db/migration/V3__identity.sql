-- Identity: device certificates, CA certificates and the account's CA registration code
-- (io.pylon.domain.identity). Same rules as V1: runs unchanged on PostgreSQL and on H2 in
-- PostgreSQL mode. Dates are epoch milliseconds; ids are the 64 lower-case hex digits of the
-- certificate's SHA-256; enums are stored by name.

CREATE TABLE ca_certificate (
    id                       VARCHAR(64) NOT NULL,
    arn                      VARCHAR     NOT NULL,
    pem                      VARCHAR     NOT NULL,
    subject                  VARCHAR     NOT NULL,
    status                   VARCHAR(16) NOT NULL,
    auto_registration_status VARCHAR(16) NOT NULL,
    certificate_mode         VARCHAR(16) NOT NULL,
    owned_by                 VARCHAR(12) NOT NULL,
    created_ms               BIGINT      NOT NULL,
    last_modified_ms         BIGINT      NOT NULL,
    customer_version         INTEGER     NOT NULL,
    generation_id            VARCHAR     NOT NULL,
    not_before_ms            BIGINT      NOT NULL,
    not_after_ms             BIGINT      NOT NULL,
    template_body            VARCHAR,
    role_arn                 VARCHAR,
    template_name            VARCHAR,
    CONSTRAINT ca_certificate_pk PRIMARY KEY (id)
);

CREATE INDEX ca_certificate_created ON ca_certificate (created_ms, id);
CREATE INDEX ca_certificate_subject ON ca_certificate (subject);

-- ca_certificate_id is NULL for certificates issued by Pylon's own CA and for those registered
-- without a CA; no foreign key, because the service (not the schema) decides when a CA may go.
CREATE TABLE certificate (
    id                VARCHAR(64) NOT NULL,
    arn               VARCHAR     NOT NULL,
    pem               VARCHAR     NOT NULL,
    status            VARCHAR(24) NOT NULL,
    ca_certificate_id VARCHAR(64),
    certificate_mode  VARCHAR(16) NOT NULL,
    owned_by          VARCHAR(12) NOT NULL,
    created_ms        BIGINT      NOT NULL,
    last_modified_ms  BIGINT      NOT NULL,
    customer_version  INTEGER     NOT NULL,
    generation_id     VARCHAR     NOT NULL,
    not_before_ms     BIGINT      NOT NULL,
    not_after_ms      BIGINT      NOT NULL,
    CONSTRAINT certificate_pk PRIMARY KEY (id)
);

CREATE INDEX certificate_created ON certificate (created_ms, id);
CREATE INDEX certificate_by_ca ON certificate (ca_certificate_id, created_ms, id);

-- At most one row (slot = 1): the code a CA's verification certificate must carry as its CN.
CREATE TABLE ca_registration_code (
    slot SMALLINT    NOT NULL,
    code VARCHAR(64) NOT NULL,
    CONSTRAINT ca_registration_code_pk PRIMARY KEY (slot)
);
