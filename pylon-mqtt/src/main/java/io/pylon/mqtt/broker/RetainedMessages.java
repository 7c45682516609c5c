package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The retained message of each topic, in memory, with every change handed to persistence.
 *
 * <p>Exact-filter lookups (all the AWS profile needs) are one map access. Wildcard filters scan all
 * retained topics: subscribe is rare next to publish, and the scan stays off the publish path.
 */
public final class RetainedMessages {

  private final Map<String, RetainedMessage> byTopic = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;
  private final Consumer<RetainedMessage> onPut;
  private final Consumer<String> onRemove;

  /**
   * @param clockMillis the time a message is stored at
   */
  RetainedMessages(
      LongSupplier clockMillis, Consumer<RetainedMessage> onPut, Consumer<String> onRemove) {
    this.clockMillis = clockMillis;
    this.onPut = onPut;
    this.onRemove = onRemove;
  }

  /** Applies a retained publish: an empty payload clears the topic [MQTT-3.3.1-6]. */
  void apply(ApplicationMessage message) {
    if (message.payload().length == 0) {
      if (byTopic.remove(message.topic()) != null) {
        onRemove.accept(message.topic());
      }
    } else {
      RetainedMessage stored =
          new RetainedMessage(message.withRetain(true), clockMillis.getAsLong());
      byTopic.put(message.topic(), stored);
      onPut.accept(stored);
    }
  }

  /**
   * Recovers stored messages. One stored before its time was kept (time 0) gets the recovery time,
   * the earliest time this broker can vouch for.
   */
  void restore(Collection<RetainedMessage> messages) {
    long now = clockMillis.getAsLong();
    for (RetainedMessage m : messages) {
      byTopic.put(m.topic(), m.storedAtMillis() == 0 ? new RetainedMessage(m.message(), now) : m);
    }
  }

  /** Retained messages matching a filter, skipping expired ones. */
  public List<ApplicationMessage> matching(TopicFilter filter, long nowMillis) {
    if (!filter.hasWildcards()) {
      RetainedMessage m = byTopic.get(filter.filter());
      return m == null || m.message().isExpired(nowMillis) ? List.of() : List.of(m.message());
    }
    List<ApplicationMessage> out = new ArrayList<>();
    for (RetainedMessage m : byTopic.values()) {
      if (!m.message().isExpired(nowMillis) && TopicRules.matches(filter.filter(), m.topic())) {
        out.add(m.message());
      }
    }
    return out;
  }

  /** The retained message of a topic and when it was stored, or null. */
  public RetainedMessage get(String topic) {
    return byTopic.get(topic);
  }

  /** Every retained message in topic order, for the iot-data ListRetainedMessages API. */
  public List<RetainedMessage> all() {
    List<RetainedMessage> out = new ArrayList<>(byTopic.values());
    out.sort((a, b) -> a.topic().compareTo(b.topic()));
    return out;
  }

  public int size() {
    return byTopic.size();
  }
}
