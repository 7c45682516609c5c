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
 * @param pending messages owed to the client in delivery order: unacknowledged in-flight ones
 *     first, then queued ones
 */
public record StoredSession(
    String clientId,
    long expiryIntervalSeconds,
    long disconnectedAtMillis,
    List<StoredSubscription> subscriptions,
    List<ApplicationMessage> pending) {

  public StoredSession {
    subscriptions = List.copyOf(subscriptions);
    pending = List.copyOf(pending);
  }
}
