package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;

/**
 * Delivers an accepted message to every matching subscription. Kept behind an interface so that a
 * clustered router (routing across nodes) can replace the local one without touching the connection
 * handler.
 */
public interface MessageRouter {

  /** Routes the message; returns the number of sessions it was offered to. */
  int route(ApplicationMessage message);
}
