package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.session.SessionRegistry;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.RetainedChange;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Design notes. Retained changes are coalesced per topic (the latest state wins), so the backlog
 * is bounded by the number of retained topics however fast clients publish. They are written in one
 * transaction per batch, at most every {@code RETAINED_BATCH_MILLIS}: a storm of retained publishes
 * costs a few commits per second, not one per message (each commit of the embedded engine writes a
 * new chunk to its file). Persistent sessions are written when they changed, once per {@code
 * flushInterval}, and all of them at shutdown. What a {@code kill -9} can lose is therefore the
 * changes of the last interval (documented in the README); a clean shutdown loses nothing.
 */
final class BrokerPersistence {

  private static final Logger log = LoggerFactory.getLogger(BrokerPersistence.class);
  private static final long RETAINED_BATCH_MILLIS = 50;

  private final BrokerStore store;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pylon-persistence");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Optional<RetainedMessage>> retainedPending = new ConcurrentHashMap<>();
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

  void retainedChanged(RetainedMessage message) {
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
      executor.schedule(this::flushRetainedSafely, RETAINED_BATCH_MILLIS, TimeUnit.MILLISECONDS);
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
    List<RetainedChange> batch = new ArrayList<>();
    for (String topic : retainedPending.keySet()) {
      Optional<RetainedMessage> change = retainedPending.remove(topic);
      if (change != null) {
        batch.add(new RetainedChange(topic, change.orElse(null)));
      }
    }
    try {
      store.retained().applyAll(batch);
    } catch (RuntimeException e) {
      // Put back what a newer change has not superseded, so that the retry writes it.
      for (RetainedChange c : batch) {
        retainedPending.putIfAbsent(c.topic(), Optional.ofNullable(c.retained()));
      }
      throw e;
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
    store.sessions().saveAll(all ? sessions.persistentSnapshots() : sessions.dirtySnapshots());
  }

  /** Writes everything still pending and stops; called after all clients are disconnected. */
  void shutdown() {
    try {
      executor
          .submit(
              () -> {
                flushRetained();
                flushSessions(true);
                return null;
              })
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("could not store broker state at shutdown", e);
    } finally {
      executor.shutdown();
    }
  }
}
