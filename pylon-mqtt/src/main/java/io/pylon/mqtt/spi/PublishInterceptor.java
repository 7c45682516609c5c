package io.pylon.mqtt.spi;

import io.pylon.mqtt.message.ApplicationMessage;

/**
 * Handles messages on topics the server itself serves (the {@code $aws/...} reserved topics of
 * shadows, jobs and provisioning) without touching protocol code.
 *
 * <p>Called on the publisher's event loop after authorization; an implementation hands work that
 * needs storage to its own executor and answers later through {@link
 * io.pylon.mqtt.broker.MqttBroker#publish(ApplicationMessage)}.
 */
public interface PublishInterceptor {

  /** What happens to a message after an interceptor saw it. */
  enum Disposition {
    /** Route it to subscribers as usual. */
    CONTINUE,
    /** The server consumed it; subscribers do not receive it. */
    CONSUMED
  }

  /** Cheap test, called for every inbound topic starting with {@code $}. */
  boolean handles(String topic);

  /** Takes a message on a topic it {@link #handles}; {@code origin} says who published it. */
  Disposition onPublish(ApplicationMessage message, PublishOrigin origin);
}
