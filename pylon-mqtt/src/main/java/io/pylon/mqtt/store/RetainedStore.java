package io.pylon.mqtt.store;

import io.pylon.mqtt.message.ApplicationMessage;
import java.util.List;

/**
 * Durable storage of retained messages, one per topic. Calls block and are made only from the
 * broker's persistence executor, never from a network event loop.
 */
public interface RetainedStore {

  /** Inserts or replaces the retained message of {@code message.topic()}. */
  void put(ApplicationMessage message);

  /** Clears the retained message of a topic; clearing an absent one is not an error. */
  void remove(String topic);

  /** Every retained message, for recovery at start-up. */
  List<ApplicationMessage> loadAll();
}
