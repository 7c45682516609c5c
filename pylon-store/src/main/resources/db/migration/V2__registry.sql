-- The thing registry (io.pylon.domain.registry) and resource tags (io.pylon.domain.tagging).
--
-- Same rules as V1: the common subset of PostgreSQL and H2 in MODE=PostgreSQL. Names follow the
-- AWS model's lengths (things, types, groups: 128; attribute names 128, values 800; descriptions
-- 2028). Timestamps are epoch milliseconds. Column names avoid words that either engine reserves
-- (value, key), hence attr_name/attr_value and tag_key/tag_value.

CREATE TABLE thing_type (
    name                VARCHAR(128)  NOT NULL,
    id                  VARCHAR(64)   NOT NULL,
    description         VARCHAR(2028),
    deprecated          BOOLEAN       NOT NULL,
    deprecation_date_ms BIGINT,
    creation_date_ms    BIGINT        NOT NULL,
    CONSTRAINT thing_type_pk PRIMARY KEY (name)
);

-- seq keeps the order in which the type listed them.
CREATE TABLE thing_type_searchable_attribute (
    type_name      VARCHAR(128) NOT NULL,
    seq            INTEGER      NOT NULL,
    attr_name      VARCHAR(128) NOT NULL,
    CONSTRAINT thing_type_searchable_attribute_pk PRIMARY KEY (type_name, seq),
    CONSTRAINT thing_type_searchable_attribute_type_fk FOREIGN KEY (type_name)
        REFERENCES thing_type (name) ON DELETE CASCADE
);

CREATE TABLE thing_type_propagating_attribute (
    type_name            VARCHAR(128) NOT NULL,
    seq                  INTEGER      NOT NULL,
    user_property_key    VARCHAR(128),
    thing_attribute      VARCHAR(128),
    connection_attribute VARCHAR(128),
    CONSTRAINT thing_type_propagating_attribute_pk PRIMARY KEY (type_name, seq),
    CONSTRAINT thing_type_propagating_attribute_type_fk FOREIGN KEY (type_name)
        REFERENCES thing_type (name) ON DELETE CASCADE
);

-- A thing type in use cannot be deleted (the service refuses first; the key is the backstop).
CREATE TABLE thing (
    name            VARCHAR(128) NOT NULL,
    id              VARCHAR(64)  NOT NULL,
    thing_type_name VARCHAR(128),
    version         BIGINT       NOT NULL,
    CONSTRAINT thing_pk PRIMARY KEY (name),
    CONSTRAINT thing_type_fk FOREIGN KEY (thing_type_name) REFERENCES thing_type (name)
);

CREATE INDEX thing_by_type ON thing (thing_type_name);

CREATE TABLE thing_attribute (
    thing_name VARCHAR(128) NOT NULL,
    attr_name  VARCHAR(128) NOT NULL,
    attr_value VARCHAR(800) NOT NULL,
    CONSTRAINT thing_attribute_pk PRIMARY KEY (thing_name, attr_name),
    CONSTRAINT thing_attribute_thing_fk FOREIGN KEY (thing_name)
        REFERENCES thing (name) ON DELETE CASCADE
);

-- ListThings by attribute.
CREATE INDEX thing_attribute_by_value ON thing_attribute (attr_name, attr_value);

-- A static thing group. Groups never move, so each keeps its path from the root:
-- '/root/child/name/', which finds descendants with one LIKE (names cannot contain '/').
-- The parent key makes deleting a group with children fail even if the service's check races.
CREATE TABLE thing_group (
    name             VARCHAR(128)  NOT NULL,
    id               VARCHAR(64)   NOT NULL,
    parent_name      VARCHAR(128),
    path             VARCHAR(1040) NOT NULL,
    description      VARCHAR(2028),
    version          BIGINT        NOT NULL,
    creation_date_ms BIGINT        NOT NULL,
    CONSTRAINT thing_group_pk PRIMARY KEY (name),
    CONSTRAINT thing_group_parent_fk FOREIGN KEY (parent_name) REFERENCES thing_group (name)
);

CREATE INDEX thing_group_by_parent ON thing_group (parent_name);

CREATE TABLE thing_group_attribute (
    group_name VARCHAR(128) NOT NULL,
    attr_name  VARCHAR(128) NOT NULL,
    attr_value VARCHAR(800) NOT NULL,
    CONSTRAINT thing_group_attribute_pk PRIMARY KEY (group_name, attr_name),
    CONSTRAINT thing_group_attribute_group_fk FOREIGN KEY (group_name)
        REFERENCES thing_group (name) ON DELETE CASCADE
);

-- Direct memberships; deleting the thing or the group ends them.
CREATE TABLE thing_group_member (
    group_name VARCHAR(128) NOT NULL,
    thing_name VARCHAR(128) NOT NULL,
    CONSTRAINT thing_group_member_pk PRIMARY KEY (group_name, thing_name),
    CONSTRAINT thing_group_member_group_fk FOREIGN KEY (group_name)
        REFERENCES thing_group (name) ON DELETE CASCADE,
    CONSTRAINT thing_group_member_thing_fk FOREIGN KEY (thing_name)
        REFERENCES thing (name) ON DELETE CASCADE
);

CREATE INDEX thing_group_member_by_thing ON thing_group_member (thing_name);

-- principal: a certificate ARN or another principal string, unbounded by the model.
-- principal_type: EXCLUSIVE_THING or NON_EXCLUSIVE_THING.
CREATE TABLE thing_principal (
    thing_name     VARCHAR(128) NOT NULL,
    principal      VARCHAR      NOT NULL,
    principal_type VARCHAR(32)  NOT NULL,
    CONSTRAINT thing_principal_pk PRIMARY KEY (thing_name, principal),
    CONSTRAINT thing_principal_thing_fk FOREIGN KEY (thing_name)
        REFERENCES thing (name) ON DELETE CASCADE
);

CREATE INDEX thing_principal_by_principal ON thing_principal (principal, thing_name);

-- Tags of any IoT resource by ARN; the resource's owner removes them when it is deleted.
CREATE TABLE resource_tag (
    resource_arn VARCHAR(2048) NOT NULL,
    tag_key      VARCHAR(128)  NOT NULL,
    tag_value    VARCHAR(256)  NOT NULL,
    CONSTRAINT resource_tag_pk PRIMARY KEY (resource_arn, tag_key)
);
