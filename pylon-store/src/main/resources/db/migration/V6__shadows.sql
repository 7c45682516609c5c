-- Device shadows (io.pylon.domain.shadow): one row per classic or named shadow.
--
-- shadow_name  '' for the classic (unnamed) shadow
-- version      version of the last accepted update; kept when the shadow is deleted, so that a
--              shadow re-created within 48 hours continues the series
-- deleted      the shadow was deleted; document is then NULL
-- document     {"state":{...},"metadata":{...}} as compact JSON text (8 KB of state at most, plus
--              metadata)
-- modified_s   epoch seconds of the last update or of the delete
-- Writes are conditional on (version, deleted), the optimistic lock of concurrent updates.
CREATE TABLE shadow (
    thing_name  VARCHAR(128) NOT NULL,
    shadow_name VARCHAR(64)  NOT NULL,
    version     BIGINT       NOT NULL,
    deleted     BOOLEAN      NOT NULL,
    document    TEXT,
    modified_s  BIGINT       NOT NULL,
    CONSTRAINT shadow_pk PRIMARY KEY (thing_name, shadow_name)
);
