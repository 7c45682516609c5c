package io.pylon.mqtt.store;

/**
 * A subscription of a persistent session as it is stored.
 *
 * @param filter the topic filter as the client sent it, including any {@code $share/group/} prefix
 * @param qos maximum QoS granted (0..2)
 * @param noLocal MQTT 5 no-local option
 * @param retainAsPublished MQTT 5 retain-as-published option
 * @param retainHandling MQTT 5 retain handling (0..2)
 * @param subscriptionId MQTT 5 subscription identifier, 0 when none
 */
public record StoredSubscription(
    String filter,
    int qos,
    boolean noLocal,
    boolean retainAsPublished,
    int retainHandling,
    int subscriptionId) {}
