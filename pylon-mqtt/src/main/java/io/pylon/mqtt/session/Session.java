package io.pylon.mqtt.session;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.store.StoredInflight;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state MQTT keeps per client id: subscriptions, messages queued for the client, outbound
 * messages in flight and inbound QoS 2 packet ids. It outlives connections when the client asked
 * for a persistent session.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Threading: every field is guarded by this object's monitor. Messages are offered from any
 *       event loop (the publisher's); only the attached connection's event loop writes them out
 *       ({@link #drainTo}), so packet ids, the in-flight window and the order of writes have one
 *       owner. Locks are held for a few field updates, never across I/O.
 *   <li>Back-pressure: the queue is bounded by {@code maxQueued}. While the transport is not
 *       writable, QoS 0 offers are dropped (counted) and QoS 1/2 queue up to the bound; beyond it
 *       they are dropped and counted. Draining stops when the client's receive maximum is reached
 *       and resumes on acknowledgement or when the channel becomes writable again.
 *   <li>A drain is scheduled at most once at a time ({@code drainPending}), so a burst of offers
 *       costs one task on the subscriber's event loop, and the writes of a burst share one flush.
 * </ul>
 */
public final class Session {

  /** Writes deliveries to a client; implemented by the connection handler, used on its loop. */
  public interface Writer {
    boolean isWritable();

    /** The client's receive maximum: how many QoS 1/2 messages may be in flight. */
    int sendQuota();

    /** Writes one PUBLISH; returns false when the message was not written (too large, expired). */
    boolean writePublish(Delivery delivery, int packetId, boolean dup);

    void writePubRel(int packetId);

    void flush();

    /**
     * Takes one PUBLISH from the connection's publish rate, which inbound and outbound publishes
     * share (AWS IoT's 100 per second per connection). When it returns false the writer arranges
     * for {@link #drainTo} to run again once the rate allows.
     */
    default boolean tryAcquireSendPermit() {
      return true;
    }

    /**
     * How long a sent QoS 1/2 message may stay unacknowledged before it is given up on, millis; 0
     * for ever (the MQTT specification). AWS IoT gives up after an hour.
     */
    default long redeliveryWindowMillis() {
      return 0;
    }
  }

  private final String clientId;
  private final int maxQueued;
  private final DropCounters drops;

  private SessionConnection connection;
  private long expiryIntervalSeconds;
  private long disconnectedAtMillis;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private final LinkedHashMap<Integer, Inflight> inflight = new LinkedHashMap<>();
  private final Set<Integer> inboundQos2 = new HashSet<>();

  /**
   * In-flight entries of an earlier connection not yet resent on this one, in order. They stay in
   * {@code inflight} (their packet ids are kept [MQTT-4.4.0-1]) but do not count against the
   * client's receive maximum until resent [MQTT-4.9.0-2].
   */
  private final ArrayDeque<Inflight> awaitingResend = new ArrayDeque<>();

  private int nextPacketId = 1;
  private boolean drainPending;
  private boolean dirty;

  /** Whether the session was ever persistent, and so may have been written to storage. */
  private boolean everPersistent;

  /** A subscription as the session remembers it. */
  public record Subscription(TopicFilter filter, SubscriptionOptions options) {}

  public Session(String clientId, int maxQueued, DropCounters drops) {
    this.clientId = clientId;
    this.maxQueued = maxQueued;
    this.drops = drops;
  }

  public String clientId() {
    return clientId;
  }

  // ---- lifecycle, called by the SessionRegistry ----

  synchronized SessionConnection attach(SessionConnection newConnection, long expirySeconds) {
    SessionConnection previous = connection;
    connection = newConnection;
    expiryIntervalSeconds = expirySeconds;
    everPersistent |= expirySeconds != 0;
    disconnectedAtMillis = 0;
    drainPending = false;
    // A persistent session is stored from its first CONNECT, so that "session present" survives a
    // restart even before the client subscribed.
    dirty |= expirySeconds != 0;
    return previous;
  }

  /** Detaches the connection if it is still the attached one; returns whether it was. */
  synchronized boolean detach(SessionConnection which, long nowMillis) {
    if (connection != which) {
      return false;
    }
    connection = null;
    drainPending = false;
    disconnectedAtMillis = nowMillis;
    dirty = true;
    return true;
  }

  public synchronized boolean isConnected() {
    return connection != null;
  }

  public synchronized long expiryIntervalSeconds() {
    return expiryIntervalSeconds;
  }

  /** Sets the expiry interval, e.g. from an MQTT 5 DISCONNECT. */
  public synchronized void expiryIntervalSeconds(long seconds) {
    expiryIntervalSeconds = seconds;
    everPersistent |= seconds != 0;
    dirty = true;
  }

  synchronized long disconnectedAtMillis() {
    return disconnectedAtMillis;
  }

  /**
   * Whether the session was persistent at some point (also when its expiry was set to 0 at
   * DISCONNECT later), so that storage may hold a copy to forget when it ends.
   */
  synchronized boolean wasEverPersistent() {
    return everPersistent;
  }

  /** Whether the session has outlived its expiry interval after a disconnect. */
  synchronized boolean isExpired(long nowMillis) {
    if (connection != null || expiryIntervalSeconds == 0xFFFFFFFFL) {
      return false;
    }
    return nowMillis - disconnectedAtMillis >= expiryIntervalSeconds * 1000L;
  }

  // ---- subscriptions ----

  /** Records a subscription; returns the previous one with the same filter, or null. */
  public synchronized Subscription subscribe(TopicFilter filter, SubscriptionOptions options) {
    dirty = true;
    return subscriptions.put(filter.raw(), new Subscription(filter, options));
  }

  public synchronized Subscription unsubscribe(String rawFilter) {
    Subscription removed = subscriptions.remove(rawFilter);
    if (removed != null) {
      dirty = true;
    }
    return removed;
  }

  public synchronized int subscriptionCount() {
    return subscriptions.size();
  }

  public synchronized boolean hasSubscription(String rawFilter) {
    return subscriptions.containsKey(rawFilter);
  }

  public synchronized List<Subscription> subscriptions() {
    return new ArrayList<>(subscriptions.values());
  }

  // ---- outbound ----

  /** Offers a message for delivery; called from any thread. Returns false when it was dropped. */
  public boolean offer(Delivery delivery) {
    SessionConnection toWake;
    synchronized (this) {
      if (connection == null) {
        if (delivery.qos() == 0) {
          drops.offlineQos0.increment();
          return false;
        }
        dirty = true;
      } else if (delivery.qos() == 0 && !connection.isWritable()) {
        drops.slowConsumer.increment();
        return false;
      }
      if (queue.size() >= maxQueued) {
        drops.queueFull.increment();
        return false;
      }
      queue.add(delivery);
      if (connection == null || drainPending) {
        return true;
      }
      drainPending = true;
      toWake = connection;
    }
    toWake.scheduleDrain();
    return true;
  }

  /**
   * Writes queued messages while the transport is writable and the in-flight window has room. Runs
   * on the attached connection's event loop.
   */
  public void drainTo(SessionConnection owner, Writer writer, long nowMillis) {
    int written = 0;
    while (true) {
      Delivery delivery;
      Inflight resend;
      int packetId = 0;
      synchronized (this) {
        if (connection != owner) {
          break;
        }
        resend = awaitingResend.peek();
        delivery = resend == null ? queue.peek() : null;
        if (resend == null && delivery == null) {
          drainPending = false;
          break;
        }
        if (!writer.isWritable()) {
          // Stay pending: channelWritabilityChanged calls drainTo again.
          break;
        }
        int sentUnacknowledged = inflight.size() - awaitingResend.size();
        if ((resend != null || delivery.qos() > 0) && sentUnacknowledged >= writer.sendQuota()) {
          if (giveUpOldestUnacknowledged(writer.redeliveryWindowMillis(), nowMillis)) {
            continue;
          }
          // Stay pending: an acknowledgement calls drainTo again.
          break;
        }
        boolean isPublish = resend == null || !resend.released();
        if (isPublish && !writer.tryAcquireSendPermit()) {
          if (resend == null && delivery.qos() == 0) {
            // AWS IoT discards publishes over the connection's rate; QoS 1/2 wait for it instead.
            queue.poll();
            drops.rateLimited.increment();
            continue;
          }
          // Stay pending: the writer calls drainTo again when the rate allows.
          break;
        }
        if (resend != null) {
          awaitingResend.poll();
        } else {
          queue.poll();
          if (delivery.message().isExpired(nowMillis)) {
            drops.expired.increment();
            continue;
          }
          if (delivery.qos() > 0) {
            packetId = allocatePacketId();
            inflight.put(packetId, new Inflight(delivery, packetId, nowMillis));
          }
        }
      }
      if (resend != null) {
        written += resendEntry(resend, writer, nowMillis);
        continue;
      }
      if (!writer.writePublish(delivery, packetId, false) && packetId != 0) {
        synchronized (this) {
          inflight.remove(packetId);
        }
      }
      written++;
    }
    if (written > 0) {
      writer.flush();
    }
  }

  /**
   * Frees the in-flight slot of the oldest sent message if the client has left it unacknowledged
   * for longer than the redelivery window. Only called when the window is full, so a client that
   * never acknowledges cannot block its session for good.
   */
  private boolean giveUpOldestUnacknowledged(long windowMillis, long nowMillis) {
    if (windowMillis <= 0) {
      return false;
    }
    for (Iterator<Inflight> it = inflight.values().iterator(); it.hasNext(); ) {
      Inflight oldest = it.next();
      if (awaitingResend.contains(oldest) || oldest.released()) {
        continue;
      }
      if (nowMillis - oldest.sentAtMillis() < windowMillis) {
        return false;
      }
      it.remove();
      drops.redeliveryWindow.increment();
      dirty = true;
      return true;
    }
    return false;
  }

  /** Resends one entry of an earlier connection (PUBREL, or PUBLISH with DUP); returns writes. */
  private int resendEntry(Inflight entry, Writer writer, long nowMillis) {
    if (entry.released()) {
      writer.writePubRel(entry.packetId());
      return 1;
    }
    long window = writer.redeliveryWindowMillis();
    if (window > 0 && nowMillis - entry.sentAtMillis() >= window) {
      synchronized (this) {
        inflight.remove(entry.packetId());
        dirty = true;
      }
      drops.redeliveryWindow.increment();
      return 0;
    }
    if (entry.delivery().message().isExpired(nowMillis)) {
      synchronized (this) {
        inflight.remove(entry.packetId());
      }
      drops.expired.increment();
      return 0;
    }
    if (!writer.writePublish(entry.delivery(), entry.packetId(), true)) {
      // Refused now (too large for the new connection's maximum packet size, no longer
      // authorized): it is done, and its slot in the in-flight window is free again.
      synchronized (this) {
        inflight.remove(entry.packetId());
      }
      return 0;
    }
    return 1;
  }

  /**
   * Resends what was in flight when the previous connection ended (PUBLISH with DUP, or PUBREL),
   * then drains the queue. Runs on the new connection's event loop right after CONNACK.
   */
  public void resume(SessionConnection owner, Writer writer, long nowMillis) {
    synchronized (this) {
      if (connection != owner) {
        return;
      }
      awaitingResend.clear();
      awaitingResend.addAll(inflight.values());
      drainPending = true;
    }
    // Resends go first and only as far as the new connection's receive maximum allows; the rest
    // follow as acknowledgements free the window, then the queue.
    drainTo(owner, writer, nowMillis);
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the message is done. Returns whether it was in flight. */
  public synchronized boolean acknowledge(int packetId) {
    Inflight removed = inflight.remove(packetId);
    if (removed != null && !awaitingResend.isEmpty()) {
      awaitingResend.remove(removed);
    }
    return removed != null;
  }

  /** PUBREC: returns true when the packet id was awaiting it, and marks it released. */
  public synchronized boolean received(int packetId) {
    Inflight entry = inflight.get(packetId);
    if (entry == null || entry.delivery().qos() != 2) {
      return false;
    }
    entry.release();
    return true;
  }

  /** PUBREC with a failure reason code: the receiver refused the message; it is done. */
  public synchronized void refused(int packetId) {
    Inflight removed = inflight.remove(packetId);
    if (removed != null && !awaitingResend.isEmpty()) {
      awaitingResend.remove(removed);
    }
  }

  public synchronized int queuedCount() {
    return queue.size();
  }

  public synchronized int inflightCount() {
    return inflight.size();
  }

  private int allocatePacketId() {
    while (true) {
      int id = nextPacketId;
      nextPacketId = id == 0xFFFF ? 1 : id + 1;
      if (!inflight.containsKey(id)) {
        return id;
      }
    }
  }

  // ---- inbound QoS 2 ----

  /** Records an inbound QoS 2 packet id; returns false when it is already awaiting PUBREL. */
  public synchronized boolean beginInboundQos2(int packetId) {
    return inboundQos2.add(packetId);
  }

  /** PUBREL: forgets the packet id; returns whether it was known. */
  public synchronized boolean completeInboundQos2(int packetId) {
    return inboundQos2.remove(packetId);
  }

  public synchronized int inboundQos2Count() {
    return inboundQos2.size();
  }

  // ---- persistence ----

  /** Whether anything worth storing changed since the last {@link #snapshot}. */
  synchronized boolean isDirty() {
    return dirty;
  }

  /** The stored form: subscriptions, what is in flight with its packet ids, then the queue. */
  synchronized StoredSession snapshot() {
    dirty = false;
    List<StoredSubscription> subs = new ArrayList<>(subscriptions.size());
    for (Subscription s : subscriptions.values()) {
      SubscriptionOptions o = s.options();
      subs.add(
          new StoredSubscription(
              s.filter().raw(),
              o.qos(),
              o.noLocal(),
              o.retainAsPublished(),
              o.retainHandling(),
              o.subscriptionId()));
    }
    List<StoredInflight> sent = new ArrayList<>(inflight.size());
    for (Inflight entry : inflight.values()) {
      sent.add(
          new StoredInflight(
              entry.packetId(),
              entry.released(),
              entry.sentAtMillis(),
              asStored(entry.delivery())));
    }
    List<ApplicationMessage> pending = new ArrayList<>(queue.size());
    for (Delivery d : queue) {
      if (d.qos() > 0) {
        pending.add(asStored(d));
      }
    }
    return new StoredSession(
        clientId,
        expiryIntervalSeconds,
        connection == null ? disconnectedAtMillis : 0,
        subs,
        sent,
        pending,
        new ArrayList<>(inboundQos2));
  }

  /** The stored form keeps the delivery QoS and RETAIN flag in the message itself. */
  private static ApplicationMessage asStored(Delivery d) {
    return d.message().withQos(io.pylon.mqtt.message.Qos.of(d.qos())).withRetain(d.retain());
  }

  private static Delivery fromStored(ApplicationMessage m) {
    return new Delivery(m, m.qos().value(), m.retain(), Delivery.NO_IDS);
  }

  /**
   * Restores a recovered session: in-flight messages keep their packet ids (and QoS 2 ones their
   * released state), so the next connection sees them resent as the same packets [MQTT-4.4.0-1].
   */
  synchronized void restore(StoredSession stored, long nowMillis) {
    expiryIntervalSeconds = stored.expiryIntervalSeconds();
    everPersistent = true;
    disconnectedAtMillis =
        stored.disconnectedAtMillis() == 0 ? nowMillis : stored.disconnectedAtMillis();
    for (StoredInflight sent : stored.inflight()) {
      Inflight entry =
          new Inflight(fromStored(sent.message()), sent.packetId(), sent.sentAtMillis());
      if (sent.released()) {
        entry.release();
      }
      inflight.put(sent.packetId(), entry);
    }
    for (ApplicationMessage m : stored.pending()) {
      queue.add(fromStored(m));
    }
    inboundQos2.addAll(stored.inboundQos2());
  }

  /** Drops everything owed to the client: a clean start or expiry. */
  synchronized void clear() {
    subscriptions.clear();
    queue.clear();
    inflight.clear();
    awaitingResend.clear();
    inboundQos2.clear();
  }

  /** Removes queued deliveries matching nothing; used when the session is discarded. */
  synchronized int discardQueue() {
    int n = queue.size();
    for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
      it.next();
      it.remove();
    }
    return n;
  }
}
