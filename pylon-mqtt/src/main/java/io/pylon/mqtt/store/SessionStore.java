package io.pylon.mqtt.store;

import java.util.List;

/**
 * Durable storage of persistent sessions. Calls block and are made only from the broker's
 * persistence executor, never from a network event loop.
 */
public interface SessionStore {

  /** Inserts or replaces the session with this client id. */
  void save(StoredSession session);

  /** Saves several sessions; implementations make it one transaction. */
  default void saveAll(List<StoredSession> sessions) {
    for (StoredSession session : sessions) {
      save(session);
    }
  }

  /** Removes the session; removing an absent one is not an error. */
  void remove(String clientId);

  /** Every stored session, for recovery at start-up. */
  List<StoredSession> loadAll();
}
