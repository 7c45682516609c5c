package io.pylon.mqtt.message;

/**
 * An application message as the broker routes, queues and retains it, independent of any connection
 * and of the MQTT version it arrived with.
 *
 * <p>Instances are immutable and shared between every subscriber a message fans out to; the payload
 * array must never be modified after construction. Per-delivery state (packet id, granted QoS, DUP,
 * topic alias) lives with the delivery, not here.
 *
 * @param topic topic name, validated, never containing wildcards
 * @param payload payload bytes, shared, never modified
 * @param qos QoS the message was published with
 * @param retain the RETAIN flag as published
 * @param properties MQTT 5 properties, {@link MessageProperties#NONE} when there are none
 * @param expiresAtMillis epoch millis after which the message must not be delivered, 0 for never
 * @param publisherClientId client id of the publisher, used for no-local; null for server messages
 */
public record ApplicationMessage(
    String topic,
    byte[] payload,
    Qos qos,
    boolean retain,
    MessageProperties properties,
    long expiresAtMillis,
    String publisherClientId) {

  public boolean isExpired(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  /** Remaining message expiry interval in whole seconds (at least 1), or -1 when none is set. */
  public long remainingExpirySeconds(long nowMillis) {
    if (expiresAtMillis == 0) {
      return -1;
    }
    return Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
  }

  public ApplicationMessage withRetain(boolean newRetain) {
    return newRetain == retain
        ? this
        : new ApplicationMessage(
            topic, payload, qos, newRetain, properties, expiresAtMillis, publisherClientId);
  }

  public ApplicationMessage withQos(Qos newQos) {
    return newQos == qos
        ? this
        : new ApplicationMessage(
            topic, payload, newQos, retain, properties, expiresAtMillis, publisherClientId);
  }
}
