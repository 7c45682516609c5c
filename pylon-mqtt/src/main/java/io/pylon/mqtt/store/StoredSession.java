package io.pylon.mqtt.store;

import io.pylon.mqtt.message.ApplicationMessage;
import java.util.List;

/**
 * A persistent session as it is stored: what a client finds again when it reconnects without clean
 * start, also after a server restart.
 *
 * @param clientId the MQTT client identifier, the key
 * @param expiryIntervalSeconds session expiry interval after disconnect; {@code 0xFFFFFFFFL} never
 *     expires
 * @param disconnectedAtMillis epoch millis of the disconnect, 0 while the session was connected
 *     when stored
 * @param subscriptions the session's subscriptions
 * @param inflight messages sent and not yet completed, in the order they were sent; they are resent
 *     first
 * @param pending messages queued for the client and not yet sent, in delivery order
 * @param inboundQos2 packet ids of QoS 2 messages received from the client and awaiting its PUBREL:
 *     a resent PUBLISH with one of them is a duplicate and is not delivered again
 */
public record StoredSession(
    String clientId,
    long expiryIntervalSeconds,
    long disconnectedAtMillis,
    List<StoredSubscription> subscriptions,
    List<StoredInflight> inflight,
    List<ApplicationMessage> pending,
    List<Integer> inboundQos2) {

  public StoredSession {
    subscriptions = List.copyOf(subscriptions);
    inflight = List.copyOf(inflight);
    pending = List.copyOf(pending);
    inboundQos2 = List.copyOf(inboundQos2);
  }

  /** A session with nothing in flight: subscriptions and queued messages only. */
  public StoredSession(
      String clientId,
      long expiryIntervalSeconds,
      long disconnectedAtMillis,
      List<StoredSubscription> subscriptions,
      List<ApplicationMessage> pending) {
    this(
        clientId,
        expiryIntervalSeconds,
        disconnectedAtMillis,
        subscriptions,
        List.of(),
        pending,
        List.of());
  }
}
