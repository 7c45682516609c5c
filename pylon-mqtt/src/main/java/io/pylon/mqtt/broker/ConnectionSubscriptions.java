package io.pylon.mqtt.broker;

import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.session.Delivery;
import io.pylon.mqtt.session.Session;
import io.pylon.mqtt.spi.Action;
import io.pylon.mqtt.spi.ConnectedClient;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.topic.SubscriptionOptions;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the topic filters of one connection's SUBSCRIBE and UNSUBSCRIBE packets to its session
 * and the broker's subscription tree: filter syntax, authorization, per-packet and per-connection
 * quotas, the granted QoS, retained-message replay and the listener events, yielding one reason
 * code per filter. The state machine keeps the packet-level checks, the reply and the ordering
 * against other packets; this class owns what a filter does to broker state, which is independent
 * of the protocol flow. One instance per connection, bound to the session once CONNECT completed,
 * used on the connection's event loop only.
 */
final class ConnectionSubscriptions {

  // The connection's category: operators filter connection logs by it.
  private static final Logger log = LoggerFactory.getLogger(MqttConnectionHandler.class);

  private final BrokerCore core;
  private final BrokerLimits limits;
  private final TopicRules topicRules;
  private final ReplyPackets replies;

  private Session session;
  private Principal principal;
  private ConnectedClient client;

  ConnectionSubscriptions(
      BrokerCore core, BrokerLimits limits, TopicRules topicRules, ReplyPackets replies) {
    this.core = core;
    this.limits = limits;
    this.topicRules = topicRules;
    this.replies = replies;
  }

  /** Binds to the connected client's session; called once, when CONNECT completed. */
  void bind(Session session, Principal principal, ConnectedClient client) {
    this.session = session;
    this.principal = principal;
    this.client = client;
  }

  /**
   * Subscribes the filters of one SUBSCRIBE in order and returns the SUBACK codes; listener events
   * are added to {@code afterAck}, to run once the SUBACK is written. Returns null when a filter is
   * a protocol error (no-local on a shared subscription [MQTT-3.8.3-4]): the filters before it stay
   * subscribed, as the connection is closed anyway.
   */
  int[] subscribe(
      List<MqttTopicSubscription> requests, int subscriptionId, List<Runnable> afterAck) {
    int[] codes = new int[requests.size()];
    boolean tooMany = requests.size() > limits.maxFiltersPerSubscribe();
    String clientId = client.clientId();
    for (int i = 0; i < requests.size(); i++) {
      MqttTopicSubscription request = requests.get(i);
      if (tooMany) {
        codes[i] = replies.subAckFailure(ReasonCodes.QUOTA_EXCEEDED);
        continue;
      }
      TopicFilter filter = topicRules.parseFilter(request.topicFilter());
      if (filter == null) {
        codes[i] = replies.subAckFailure(ReasonCodes.TOPIC_FILTER_INVALID);
        continue;
      }
      MqttSubscriptionOption option = request.option();
      if (filter.isShared() && option.isNoLocal()) {
        return null;
      }
      if (!core.authorizer.isAllowed(principal, clientId, Action.SUBSCRIBE, filter.raw())) {
        log.info(
            "client {} ({}) not authorized to subscribe to {}",
            clientId,
            principal.name(),
            filter.raw());
        codes[i] = replies.subAckFailure(ReasonCodes.NOT_AUTHORIZED);
        continue;
      }
      boolean existed = session.hasSubscription(filter.raw());
      if (!existed && session.subscriptionCount() >= limits.maxSubscriptionsPerConnection()) {
        codes[i] = replies.subAckFailure(ReasonCodes.QUOTA_EXCEEDED);
        continue;
      }
      int granted = Math.min(option.qos().value(), limits.maxQos());
      SubscriptionOptions options =
          new SubscriptionOptions(
              granted,
              option.isNoLocal(),
              option.isRetainAsPublished(),
              option.retainHandling().value(),
              subscriptionId);
      session.subscribe(filter, options);
      core.tree.subscribe(filter, session, options);
      codes[i] = granted;
      // Retained messages are queued now, before the SUBACK is written: a message published after
      // the client saw the SUBACK then always arrives after the retained state, never before it
      // (an older retained value must not overwrite a newer live one). They still go out after the
      // SUBACK: the session drains in a later task on this event loop.
      sendRetained(filter, options, existed);
      afterAck.add(() -> core.fireSubscribed(client, filter.raw(), granted));
    }
    return codes;
  }

  private void sendRetained(TopicFilter filter, SubscriptionOptions options, boolean existed) {
    if (filter.isShared()
        || options.retainHandling() == 2
        || (options.retainHandling() == 1 && existed)
        || (limits.retainedOnExactFilterOnly() && filter.hasWildcards())) {
      return;
    }
    long now = core.clock.millis();
    int[] ids =
        options.subscriptionId() == 0 ? Delivery.NO_IDS : new int[] {options.subscriptionId()};
    for (ApplicationMessage m : core.retained.matching(filter, now)) {
      session.offer(new Delivery(m, Math.min(m.qos().value(), options.qos()), true, ids));
    }
  }

  /** Removes the filters of one UNSUBSCRIBE and returns the UNSUBACK codes. */
  short[] unsubscribe(List<String> filters) {
    short[] codes = new short[filters.size()];
    for (int i = 0; i < filters.size(); i++) {
      String raw = filters.get(i);
      TopicFilter filter = topicRules.parseFilter(raw);
      if (filter == null) {
        codes[i] = (short) ReasonCodes.TOPIC_FILTER_INVALID;
        continue;
      }
      Session.Subscription removed = session.unsubscribe(raw);
      if (removed != null) {
        core.tree.unsubscribe(removed.filter(), session);
        core.fireUnsubscribed(client, raw);
        codes[i] = ReasonCodes.SUCCESS;
      } else {
        codes[i] = ReasonCodes.NO_SUBSCRIPTION_EXISTED;
      }
    }
    return codes;
  }
}
