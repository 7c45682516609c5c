-- AWS IoT policies (io.pylon.domain.policy): policies, their versions, and what they are attached to.
--
-- Version ids are decimal numbers on the wire ("1", "2", ...) and INTEGER here, so that they sort
-- as numbers. last_version_id is the highest number ever given: a deleted version's number is not
-- reused. generation_id changes with every change to a policy and makes updates conditional.
-- Dates are epoch milliseconds.

CREATE TABLE policy (
    policy_name         VARCHAR(128) NOT NULL,
    default_version_id  INTEGER      NOT NULL,
    last_version_id     INTEGER      NOT NULL,
    generation_id       VARCHAR(64)  NOT NULL,
    created_ms          BIGINT       NOT NULL,
    last_modified_ms    BIGINT       NOT NULL,
    CONSTRAINT policy_pk PRIMARY KEY (policy_name)
);

-- ListPolicies pages by creation date, then name.
CREATE INDEX policy_created_idx ON policy (created_ms, policy_name);

-- The model allows documents of up to 404600 characters (the quota is 2048 without whitespace).
CREATE TABLE policy_version (
    policy_name VARCHAR(128) NOT NULL,
    version_id  INTEGER      NOT NULL,
    document    VARCHAR      NOT NULL,
    created_ms  BIGINT       NOT NULL,
    CONSTRAINT policy_version_pk PRIMARY KEY (policy_name, version_id),
    CONSTRAINT policy_version_policy_fk FOREIGN KEY (policy_name)
        REFERENCES policy (policy_name) ON DELETE CASCADE
);

-- A policy attached to a target: a certificate or thing group ARN (target_kind CERTIFICATE or
-- THING_GROUP). No cascade from policy: a policy that is attached must not be deleted, and the
-- store checks that under the policy's row lock before deleting.
CREATE TABLE policy_attachment (
    target       VARCHAR(2048) NOT NULL,
    policy_name  VARCHAR(128)  NOT NULL,
    target_kind  VARCHAR(16)   NOT NULL,
    attached_ms  BIGINT        NOT NULL,
    CONSTRAINT policy_attachment_pk PRIMARY KEY (target, policy_name),
    CONSTRAINT policy_attachment_policy_fk FOREIGN KEY (policy_name)
        REFERENCES policy (policy_name)
);

-- ListTargetsForPolicy and the delete check look attachments up by policy.
CREATE INDEX policy_attachment_policy_idx ON policy_attachment (policy_name, target);
