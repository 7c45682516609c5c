/**
 * Topic names and filters: validation against the specification and a listener's limits ({@link
 * io.pylon.mqtt.topic.TopicRules}), and the subscription index matched for every message ({@link
 * io.pylon.mqtt.topic.TopicTree}), including share groups.
 */
package io.pylon.mqtt.topic;
