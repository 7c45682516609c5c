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
 * at the highest granted QoS carrying every subscription identifier [MQTT-3.3.4-3..5]. The match
 * buffers are per thread and reused, so routing allocates only the deliveries themselves.
 */
final class LocalRouter implements MessageRouter {

  private static final class Match {
    Session session;
    int qos;
    boolean retainAsPublished;
    int[] ids = Delivery.NO_IDS;
  }

  private static final class Collector implements TopicTree.Visitor<Session> {
    final List<Match> matches = new ArrayList<>();
    final Map<Session, Match> bySession = new IdentityHashMap<>();
    int used;
    ApplicationMessage message;

    @Override
    public void subscription(Session session, SubscriptionOptions options) {
      if (options.noLocal() && session.clientId().equals(message.publisherClientId())) {
        return;
      }
      add(session, options);
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
      TopicTree.Entry<Session> member = group.pick(Session::isConnected);
      if (member != null) {
        add(member.subscriber(), member.options());
      }
    }

    private void add(Session session, SubscriptionOptions options) {
      // Most messages match one subscription per client: the identity map that merges overlapping
      // subscriptions is filled only once a second match shows up.
      Match m = null;
      if (used == 1 && bySession.isEmpty()) {
        Match first = matches.get(0);
        bySession.put(first.session, first);
      }
      if (used > 0) {
        m = bySession.get(session);
      }
      if (m == null) {
        if (used == matches.size()) {
          matches.add(new Match());
        }
        m = matches.get(used++);
        m.session = session;
        m.qos = options.qos();
        m.retainAsPublished = options.retainAsPublished();
        m.ids =
            options.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {options.subscriptionId()};
        if (used > 1) {
          bySession.put(session, m);
        }
        return;
      }
      m.qos = Math.max(m.qos, options.qos());
      m.retainAsPublished |= options.retainAsPublished();
      if (options.subscriptionId() != 0) {
        m.ids = Arrays.copyOf(m.ids, m.ids.length + 1);
        m.ids[m.ids.length - 1] = options.subscriptionId();
      }
    }

    void reset() {
      for (int i = 0; i < used; i++) {
        matches.get(i).session = null;
      }
      used = 0;
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
      for (int i = 0; i < c.used; i++) {
        Match m = c.matches.get(i);
        m.session.offer(
            new Delivery(
                message, Math.min(qos, m.qos), m.retainAsPublished && message.retain(), m.ids));
      }
      return c.used;
    } finally {
      c.reset();
    }
  }
}
