package io.pylon.mqtt.store;

import io.pylon.mqtt.message.RetainedMessage;

/**
 * A change of one topic's retained message.
 *
 * @param topic the topic
 * @param retained the new retained message, or null when the topic's retained message is cleared
 */
public record RetainedChange(String topic, RetainedMessage retained) {}
