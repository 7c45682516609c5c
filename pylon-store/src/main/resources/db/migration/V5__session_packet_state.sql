-- Exactly-once across a restart: a stored session keeps the packet ids of messages in flight.
--
-- packet_id    0 for a queued message not yet sent; otherwise the id it was sent with, and the
--              row is resent as the same packet (DUP) when the client comes back
-- released     QoS 2 only: PUBREC received and PUBREL sent, so only PUBREL is resent
-- sent_at_ms   epoch milliseconds of the first send, for the redelivery window; 0 when queued
ALTER TABLE mqtt_pending_message ADD COLUMN packet_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mqtt_pending_message ADD COLUMN released BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE mqtt_pending_message ADD COLUMN sent_at_ms BIGINT NOT NULL DEFAULT 0;

-- Inbound QoS 2 packet ids the client has not released yet: a PUBLISH resent with one of them
-- after a restart is a duplicate and is not delivered again.
CREATE TABLE mqtt_inbound_qos2 (
    client_id VARCHAR NOT NULL,
    packet_id INTEGER NOT NULL,
    CONSTRAINT mqtt_inbound_qos2_pk PRIMARY KEY (client_id, packet_id),
    CONSTRAINT mqtt_inbound_qos2_session_fk FOREIGN KEY (client_id)
        REFERENCES mqtt_session (client_id) ON DELETE CASCADE
);
