package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.PublishOrigin;

/**
 * A connection's will: the message its CONNECT carried and the Will Delay Interval. Publishing it
 * is not the connection's business once the connection is gone: the session registry runs it after
 * the delay, at once when the session has already ended, never when a newer connection resumed the
 * session meanwhile. Separate so that the handler only decides whether the will survives the
 * disconnect, and the will keeps the principal it was accepted under.
 */
record LastWill(ApplicationMessage message, long delaySeconds) {

  /** Hands the will to the session registry; called after the session was detached. */
  void schedule(BrokerCore core, Session session, PublishOrigin origin) {
    long delay = Math.min(delaySeconds, session.expiryIntervalSeconds());
    core.sessions.scheduleWill(
        session,
        delay,
        () -> {
          // AWS IoT checks the publisher's policy for the will topic when it is sent.
          if (core.authorizer.isAllowed(
              origin.principal(), origin.clientId(), Action.PUBLISH, message.topic())) {
            core.accept(message, origin);
          }
        });
  }
}
