package io.pylon.mqtt.topic;

/**
 * The options a client chose for one subscription.
 *
 * @param qos maximum QoS granted (0..2)
 * @param noLocal do not deliver the subscriber's own messages (MQTT 5)
 * @param retainAsPublished keep the RETAIN flag of forwarded messages (MQTT 5)
 * @param retainHandling 0: send retained on subscribe, 1: only if new, 2: never (MQTT 5)
 * @param subscriptionId the subscription identifier, 0 for none (MQTT 5)
 */
public record SubscriptionOptions(
    int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {

  public static SubscriptionOptions ofQos(int qos) {
    return new SubscriptionOptions(qos, false, false, 0, 0);
  }
}
