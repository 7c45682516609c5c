package io.pylon.mqtt.spi;

import io.pylon.mqtt.message.ApplicationMessage;

/**
 * Observes what happens in the broker: lifecycle events, rules and metrics plug in here. Methods
 * run on network event loops and must return quickly; anything slow goes to the listener's own
 * bounded executor. Every method has an empty default so a listener implements only what it needs.
 */
public interface BrokerListener {

  /** A client finished CONNECT successfully. */
  default void onConnected(ConnectedClient client, boolean sessionPresent) {}

  /**
   * A connection that had completed CONNECT ended.
   *
   * @param reason a short machine-friendly reason, e.g. {@code CLIENT_INITIATED_DISCONNECT}
   */
  default void onDisconnected(ConnectedClient client, String reason) {}

  default void onSubscribed(ConnectedClient client, String filter, int grantedQos) {}

  default void onUnsubscribed(ConnectedClient client, String filter) {}

  /** A message was accepted for routing, from a client or from the server itself. */
  default void onPublished(ApplicationMessage message) {}

  /**
   * A message was accepted for routing, with who published it. Listeners that need the publisher
   * (rules) override this one; the default forwards to {@link #onPublished(ApplicationMessage)}.
   */
  default void onPublished(ApplicationMessage message, PublishOrigin origin) {
    onPublished(message);
  }
}
