-- Broker state: what io.pylon.mqtt.store asks to keep across restarts.
--
-- Every migration in this directory must run unchanged on PostgreSQL and on H2 in
-- MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE: types BIGINT, INTEGER, SMALLINT, BOOLEAN, VARCHAR and
-- BYTEA only; unquoted lower-case names; no engine-specific DDL. Broker tables are prefixed mqtt_
-- so that the domain's tables (thing, certificate, policy, shadow, ...) can come as later
-- migrations without clashing.
--
-- A message is stored in the same columns wherever it is kept (retained or pending):
--   properties    the MQTT 5 properties in the format of io.pylon.store.broker.PropertiesCodec;
--                 NULL when there are none, which is the usual case
--   expires_at_ms epoch milliseconds after which it must not be delivered, 0 for never
-- Topics and client ids are VARCHAR without a length: MQTT allows 65535 bytes and the broker's
-- limits, not the schema, decide. (A PostgreSQL primary key entry must stay below about 2.7 kB.)

CREATE TABLE mqtt_retained (
    topic               VARCHAR  NOT NULL,
    payload             BYTEA    NOT NULL,
    qos                 SMALLINT NOT NULL,
    retain_flag         BOOLEAN  NOT NULL,
    properties          BYTEA,
    expires_at_ms       BIGINT   NOT NULL,
    publisher_client_id VARCHAR,
    CONSTRAINT mqtt_retained_pk PRIMARY KEY (topic)
);

-- A persistent session. expiry_interval_s is unsigned 32-bit on the wire, hence BIGINT;
-- disconnected_at_ms is 0 while the client was connected when the session was saved.
CREATE TABLE mqtt_session (
    client_id          VARCHAR NOT NULL,
    expiry_interval_s  BIGINT  NOT NULL,
    disconnected_at_ms BIGINT  NOT NULL,
    CONSTRAINT mqtt_session_pk PRIMARY KEY (client_id)
);

-- A session's subscriptions, replaced as a whole on every save; seq keeps the order the session
-- listed them in.
CREATE TABLE mqtt_subscription (
    client_id           VARCHAR  NOT NULL,
    seq                 INTEGER  NOT NULL,
    topic_filter        VARCHAR  NOT NULL,
    qos                 SMALLINT NOT NULL,
    no_local            BOOLEAN  NOT NULL,
    retain_as_published BOOLEAN  NOT NULL,
    retain_handling     SMALLINT NOT NULL,
    subscription_id     INTEGER  NOT NULL,
    CONSTRAINT mqtt_subscription_pk PRIMARY KEY (client_id, seq),
    CONSTRAINT mqtt_subscription_session_fk FOREIGN KEY (client_id)
        REFERENCES mqtt_session (client_id) ON DELETE CASCADE
);

-- Messages owed to a session, replaced as a whole on every save; seq is the delivery order.
CREATE TABLE mqtt_pending_message (
    client_id           VARCHAR  NOT NULL,
    seq                 INTEGER  NOT NULL,
    topic               VARCHAR  NOT NULL,
    payload             BYTEA    NOT NULL,
    qos                 SMALLINT NOT NULL,
    retain_flag         BOOLEAN  NOT NULL,
    properties          BYTEA,
    expires_at_ms       BIGINT   NOT NULL,
    publisher_client_id VARCHAR,
    CONSTRAINT mqtt_pending_message_pk PRIMARY KEY (client_id, seq),
    CONSTRAINT mqtt_pending_message_session_fk FOREIGN KEY (client_id)
        REFERENCES mqtt_session (client_id) ON DELETE CASCADE
);
