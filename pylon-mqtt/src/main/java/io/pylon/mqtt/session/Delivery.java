package io.pylon.mqtt.session;

import io.pylon.mqtt.message.ApplicationMessage;

/**
 * One message owed to one session: the shared message plus what is particular to this subscriber.
 *
 * @param message the shared, immutable message
 * @param qos the QoS it is delivered with: the lower of the published and the granted QoS
 * @param retain the RETAIN flag to send
 * @param subscriptionIds subscription identifiers of the matching subscriptions (MQTT 5), often
 *     empty
 */
public record Delivery(ApplicationMessage message, int qos, boolean retain, int[] subscriptionIds) {

  public static final int[] NO_IDS = new int[0];
}
