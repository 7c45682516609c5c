package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.topic.SharedGroup;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes messages to the sessions of this process through the {@link TopicTree}.
 *
 * <p>Runs on the publisher's event loop. A client with several matching subscriptions gets one copy
 * at the highest granted QoS carrying every subscription identifier [MQTT-3.3.4-3..5]; a matching
 * shared subscription adds a copy of its own (MQTT 5 4.8.2). The match buffers are per thread and
 * reused, so routing allocates only the deliveries themselves, one per distinct set of delivery
 * terms rather than one per subscriber.
 */
final class LocalRouter implements MessageRouter {

  private static final class Match {
    Session session;
    int qos;
    boolean retainAsPublished;

    /** From a share group: a copy of its own, never merged with the client's other matches. */
    boolean shared;

    int[] ids = Delivery.NO_IDS;
  }

  private static final class Collector implements TopicTree.Visitor<Session> {
    final List<Match> matches = new ArrayList<>();
    final Map<Session, Match> bySession = new IdentityHashMap<>();
    int used;

    /** Matches [0, indexed) are in {@code bySession}. */
    int indexed;

    ApplicationMessage message;

    @Override
    public void subscriptions(TopicTree.Entry<Session>[] entries, int length) {
      if (used > 0) {
        TopicTree.Visitor.super.subscriptions(entries, length);
        return;
      }
      // The first matching filter: its subscribers are distinct, so nothing needs merging yet.
      // A fan-out to a thousand subscribers of one filter never touches the map.
      for (int i = 0; i < length; i++) {
        TopicTree.Entry<Session> entry = entries[i];
        if (entry == null) {
          continue;
        }
        Session session = entry.subscriber();
        SubscriptionOptions options = entry.options();
        if (!excludedByNoLocal(session, options)) {
          append(session, options);
        }
      }
    }

    @Override
    public void subscription(Session session, SubscriptionOptions options) {
      if (!excludedByNoLocal(session, options)) {
        add(session, options);
      }
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
      TopicTree.Entry<Session> member = group.pick(Session::isConnected);
      // MQTT 5 4.8.2: a client with a shared and a non-shared subscription that both match gets
      // a copy through each.
      if (member != null) {
        append(member.subscriber(), member.options()).shared = true;
      }
    }

    private boolean excludedByNoLocal(Session session, SubscriptionOptions options) {
      return options.noLocal() && session.clientId().equals(message.publisherClientId());
    }

    /** A match from a further filter: merged with the client's earlier non-shared match. */
    private void add(Session session, SubscriptionOptions options) {
      while (indexed < used) {
        Match earlier = matches.get(indexed++);
        if (!earlier.shared) {
          bySession.put(earlier.session, earlier);
        }
      }
      Match m = bySession.get(session);
      if (m == null) {
        bySession.put(session, append(session, options));
        indexed = used;
        return;
      }
      m.qos = Math.max(m.qos, options.qos());
      m.retainAsPublished |= options.retainAsPublished();
      if (options.subscriptionId() != 0) {
        m.ids = Arrays.copyOf(m.ids, m.ids.length + 1);
        m.ids[m.ids.length - 1] = options.subscriptionId();
      }
    }

    private Match append(Session session, SubscriptionOptions options) {
      if (used == matches.size()) {
        matches.add(new Match());
      }
      Match m = matches.get(used++);
      m.session = session;
      m.qos = options.qos();
      m.retainAsPublished = options.retainAsPublished();
      m.ids =
          options.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {options.subscriptionId()};
      m.shared = false;
      return m;
    }

    void reset() {
      for (int i = 0; i < used; i++) {
        matches.get(i).session = null;
      }
      used = 0;
      indexed = 0;
      if (!bySession.isEmpty()) {
        bySession.clear();
      }
      message = null;
    }
  }

  private final TopicTree<Session> tree;
  private final ThreadLocal<Collector> collectors = ThreadLocal.withInitial(Collector::new);

  LocalRouter(TopicTree<Session> tree) {
    this.tree = tree;
  }

  @Override
  public int route(ApplicationMessage message) {
    Collector c = collectors.get();
    if (c.message != null) {
      // Re-entrant routing (a listener publishing while we deliver): use a fresh collector.
      c = new Collector();
    }
    c.message = message;
    try {
      tree.match(message.topic(), c);
      int qos = message.qos().value();
      Delivery last = null;
      for (int i = 0; i < c.used; i++) {
        Match m = c.matches.get(i);
        int deliveryQos = Math.min(qos, m.qos);
        boolean retain = m.retainAsPublished && message.retain();
        // Deliveries are immutable: subscribers with the same terms share one.
        if (last == null
            || last.qos() != deliveryQos
            || last.retain() != retain
            || last.subscriptionIds() != m.ids) {
          last = new Delivery(message, deliveryQos, retain, m.ids);
        }
        m.session.offer(last);
      }
      return c.used;
    } finally {
      c.reset();
    }
  }
}
