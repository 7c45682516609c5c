package io.pylon.mqtt.session;

import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.mqtt.topic.TopicTree;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All sessions by client id, and the transitions between them: create, resume, take over, end,
 * expire.
 *
 * <p>Design notes. Every transition runs on one lifecycle thread ({@code lifecycle}), so two
 * CONNECTs with the same client id, a disconnect racing a takeover, and an expiry racing a
 * reconnect are simply ordered; each transition is a few map and field updates, so one thread
 * handles connection storms of many thousands per second. The message path never runs here: it
 * finds sessions through the {@link TopicTree}, not through this registry.
 */
public final class SessionRegistry {

  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

  /** The outcome of CONNECT for the session layer. */
  public record Attached(Session session, boolean sessionPresent) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, PendingWill> pendingWills = new ConcurrentHashMap<>();

  /** A will waiting for its delay interval; lifecycle thread only. */
  private record PendingWill(ScheduledFuture<?> timer, Runnable publish) {}

  private final TopicTree<Session> tree;
  private final ScheduledExecutorService lifecycle;
  private final Clock clock;
  private final DropCounters drops;
  private final Consumer<String> onSessionEnded;

  /**
   * @param onSessionEnded called on the lifecycle thread with the client id of a persistent session
   *     that ended (expired or replaced by a clean start), so storage can forget it
   */
  public SessionRegistry(
      TopicTree<Session> tree,
      ScheduledExecutorService lifecycle,
      Clock clock,
      DropCounters drops,
      Consumer<String> onSessionEnded) {
    this.tree = tree;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.drops = drops;
    this.onSessionEnded = onSessionEnded;
  }

  /**
   * Attaches a connection to the session of its client id: resumes it, or starts a new one when
   * {@code cleanStart} is set or none exists. A connection already attached to that session is told
   * it was taken over.
   */
  public CompletableFuture<Attached> attach(
      String clientId,
      boolean cleanStart,
      long expirySeconds,
      int maxQueued,
      SessionConnection connection) {
    return CompletableFuture.supplyAsync(
        () -> {
          // A delayed will of this client id is not sent when the session is resumed before the
          // delay elapsed; a clean start ends the session, which sends it now [MQTT-3.1.3-9].
          PendingWill will = pendingWills.remove(clientId);
          if (will != null && will.timer().cancel(false) && cleanStart) {
            will.publish().run();
          }
          Session existing = sessions.get(clientId);
          boolean present = false;
          Session session;
          if (existing != null && !cleanStart && !existing.isExpired(clock.millis())) {
            session = existing;
            present = true;
          } else {
            if (existing != null) {
              SessionConnection previous = existing.attach(null, 0);
              if (previous != null) {
                previous.sessionTakenOver();
              }
              end(existing);
            }
            session = new Session(clientId, maxQueued, drops);
            sessions.put(clientId, session);
          }
          SessionConnection previous = session.attach(connection, expirySeconds);
          if (previous != null) {
            previous.sessionTakenOver();
          }
          return new Attached(session, present);
        },
        lifecycle);
  }

  /**
   * Detaches a connection that ended; ends the session when it does not outlive the connection,
   * otherwise schedules its expiry.
   */
  public void detach(Session session, SessionConnection connection) {
    lifecycle.execute(
        () -> {
          if (!session.detach(connection, clock.millis())) {
            return;
          }
          long expiry = session.expiryIntervalSeconds();
          if (expiry == 0) {
            end(session);
          } else if (expiry != 0xFFFFFFFFL) {
            scheduleExpiry(session, expiry * 1000L);
          }
        });
  }

  /**
   * Publishes the will of a connection that ended, after its delay unless the session is resumed
   * first [MQTT-3.1.3-9]. A delay of 0 publishes at once. Call it after {@link #detach}: when the
   * session has already ended (its expiry was shorter than the delay), the will goes out at once;
   * when another connection already took the session over, a delayed will is never sent.
   */
  public void scheduleWill(Session session, long delaySeconds, Runnable publish) {
    if (delaySeconds <= 0) {
      publish.run();
      return;
    }
    String clientId = session.clientId();
    lifecycle.execute(
        () -> {
          if (sessions.get(clientId) != session) {
            // The session ended (expiry 0, clean start elsewhere): the will is due now.
            publish.run();
            return;
          }
          if (session.isConnected()) {
            // A newer connection resumed the session before this one ended (takeover).
            return;
          }
          ScheduledFuture<?> f =
              lifecycle.schedule(
                  () -> {
                    pendingWills.remove(clientId);
                    publish.run();
                  },
                  delaySeconds,
                  TimeUnit.SECONDS);
          PendingWill old = pendingWills.put(clientId, new PendingWill(f, publish));
          if (old != null) {
            old.timer().cancel(false);
          }
        });
  }

  private void scheduleExpiry(Session session, long delayMillis) {
    lifecycle.schedule(
        () -> {
          if (sessions.get(session.clientId()) == session && session.isExpired(clock.millis())) {
            log.debug("session of client {} expired", session.clientId());
            end(session);
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Removes a session and its subscriptions. Lifecycle thread only. */
  private void end(Session session) {
    sessions.remove(session.clientId(), session);
    // Asked before clear(): a session whose expiry was set to 0 at DISCONNECT was still stored
    // while it was persistent, and storage must forget it.
    boolean persistent = session.wasEverPersistent();
    for (Session.Subscription s : session.subscriptions()) {
      tree.unsubscribe(s.filter(), session);
    }
    session.clear();
    if (persistent) {
      onSessionEnded.accept(session.clientId());
    }
  }

  /** Recreates stored sessions at start-up, before any listener accepts connections. */
  public void restore(List<StoredSession> stored, TopicRules rules, int maxQueued) {
    long now = clock.millis();
    for (StoredSession s : stored) {
      Session session = new Session(s.clientId(), maxQueued, drops);
      session.restore(s, now);
      if (session.isExpired(now)) {
        onSessionEnded.accept(s.clientId());
        continue;
      }
      for (StoredSubscription sub : s.subscriptions()) {
        TopicFilter filter = rules.parseFilter(sub.filter());
        if (filter == null) {
          log.warn(
              "stored subscription {} of client {} is invalid; dropped",
              sub.filter(),
              s.clientId());
          continue;
        }
        SubscriptionOptions options =
            new SubscriptionOptions(
                sub.qos(),
                sub.noLocal(),
                sub.retainAsPublished(),
                sub.retainHandling(),
                sub.subscriptionId());
        session.subscribe(filter, options);
        tree.subscribe(filter, session, options);
      }
      sessions.put(s.clientId(), session);
      long expiry = session.expiryIntervalSeconds();
      if (expiry != 0xFFFFFFFFL) {
        long remaining = session.disconnectedAtMillis() + expiry * 1000L - now;
        scheduleExpiry(session, Math.max(0, remaining));
      }
    }
  }

  /** Persistent sessions whose state changed since they were last stored. */
  public List<StoredSession> dirtySnapshots() {
    List<StoredSession> out = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (s.expiryIntervalSeconds() != 0 && s.isDirty()) {
        out.add(s.snapshot());
      }
    }
    return out;
  }

  /** Every persistent session, for the final write at shutdown. */
  public List<StoredSession> persistentSnapshots() {
    List<StoredSession> out = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (s.expiryIntervalSeconds() != 0) {
        out.add(s.snapshot());
      }
    }
    return out;
  }

  public Session get(String clientId) {
    return sessions.get(clientId);
  }

  public int size() {
    return sessions.size();
  }

  public Collection<Session> all() {
    return sessions.values();
  }
}
