package io.pylon.mqtt.message;

/** An MQTT 5 user property: a UTF-8 name/value pair; order and duplicates are significant. */
public record UserProperty(String name, String value) {}
