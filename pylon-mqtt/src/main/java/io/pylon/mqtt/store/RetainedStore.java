package io.pylon.mqtt.store;

import io.pylon.mqtt.message.RetainedMessage;
import java.util.List;

/**
 * Durable storage of retained messages, one per topic, with the time each was stored. Calls block
 * and are made only from the broker's persistence executor, never from a network event loop.
 */
public interface RetainedStore {

  /** Inserts or replaces the retained message of {@code retained.topic()}. */
  void put(RetainedMessage retained);

  /** Clears the retained message of a topic; clearing an absent one is not an error. */
  void remove(String topic);

  /**
   * Applies several changes at once, in order; a change without a message clears its topic.
   * Implementations make it one transaction, so a burst of retained publishes costs one commit.
   */
  default void applyAll(List<RetainedChange> changes) {
    for (RetainedChange change : changes) {
      if (change.retained() == null) {
        remove(change.topic());
      } else {
        put(change.retained());
      }
    }
  }

  /** Every retained message, for recovery at start-up. */
  List<RetainedMessage> loadAll();
}
