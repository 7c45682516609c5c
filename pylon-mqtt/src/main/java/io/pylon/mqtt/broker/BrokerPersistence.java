package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.StoredSession;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes broker state to the {@link BrokerStore} off the event loops.
 *
 * <p>Design notes. Retained changes are coalesced per topic (the latest state wins), so the
 * backlog is bounded by the number of retained topics however fast clients publish; a write is
 * scheduled as soon as one is pending. Persistent sessions are written when they changed, once per
 * {@code flushInterval}, and all of them at shutdown. What a {@code kill -9} can lose is therefore
 * the changes of the last interval (documented in the README); a clean shutdown loses nothing.
 */
final class BrokerPersistence {

  private static final Logger log = LoggerFactory.getLogger(BrokerPersistence.class);

  private final BrokerStore store;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pylon-persistence");
        t.setDaemon(true);
        return t;
      });
  private final Map<String, Optional<ApplicationMessage>> retainedPending = new ConcurrentHashMap<>();
  private final AtomicBoolean retainedScheduled = new AtomicBoolean();
  private final Queue<String> endedSessions = new ConcurrentLinkedQueue<>();
  private SessionRegistry sessions;

  BrokerPersistence(BrokerStore store) {
    this.store = store;
  }

  void start(SessionRegistry registry, long flushIntervalMillis) {
    this.sessions = registry;
    executor.scheduleWithFixedDelay(
        this::flushSessionsSafely, flushIntervalMillis, flushIntervalMillis, TimeUnit.MILLISECONDS);
  }

  void retainedChanged(ApplicationMessage message) {
    retainedPending.put(message.topic(), Optional.of(message));
    scheduleRetained();
  }

  void retainedCleared(String topic) {
    retainedPending.put(topic, Optional.empty());
    scheduleRetained();
  }

  void sessionEnded(String clientId) {
    endedSessions.add(clientId);
  }

  private void scheduleRetained() {
    if (retainedScheduled.compareAndSet(false, true)) {
      executor.execute(this::flushRetainedSafely);
    }
  }

  private void flushRetainedSafely() {
    retainedScheduled.set(false);
    try {
      flushRetained();
    } catch (RuntimeException e) {
      log.error("could not store retained messages; will retry", e);
      executor.schedule(this::scheduleRetained, 1, TimeUnit.SECONDS);
    }
  }

  private void flushRetained() {
    for (String topic : retainedPending.keySet()) {
      Optional<ApplicationMessage> change = retainedPending.remove(topic);
      if (change == null) {
        continue;
      }
      try {
        if (change.isPresent()) {
          store.retained().put(change.get());
        } else {
          store.retained().remove(topic);
        }
      } catch (RuntimeException e) {
        retainedPending.putIfAbsent(topic, change);
        throw e;
      }
    }
  }

  private void flushSessionsSafely() {
    try {
      flushSessions(false);
    } catch (RuntimeException e) {
      log.error("could not store sessions; will retry", e);
    }
  }

  private void flushSessions(boolean all) {
    String ended;
    while ((ended = endedSessions.poll()) != null) {
      if (sessions.get(ended) == null) {
        store.sessions().remove(ended);
      }
    }
    for (StoredSession s : all ? sessions.persistentSnapshots() : sessions.dirtySnapshots()) {
      store.sessions().save(s);
    }
  }

  /** Writes everything still pending and stops; called after all clients are disconnected. */
  void shutdown() {
    try {
      executor.submit(() -> {
        flushRetained();
        flushSessions(true);
        return null;
      }).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("could not store broker state at shutdown", e);
    } finally {
      executor.shutdown();
    }
  }
}
