-- When each retained message was stored, epoch millis: the iot-data API reports it as
-- lastModifiedTime. Rows retained before this column existed read 0, which the broker replaces with
-- its start-up time when it recovers them.
ALTER TABLE mqtt_retained ADD COLUMN stored_at_ms BIGINT NOT NULL DEFAULT 0;
