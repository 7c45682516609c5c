package io.pylon.mqtt.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The retained message of each topic, in memory, with every change handed to persistence.
 *
 * <p>Exact-filter lookups (all the AWS profile needs) are one map access. Wildcard filters scan all
 * retained topics: subscribe is rare next to publish, and the scan stays off the publish path.
 */
public final class RetainedMessages {

  private final Map<String, ApplicationMessage> byTopic = new ConcurrentHashMap<>();
  private final Consumer<ApplicationMessage> onPut;
  private final Consumer<String> onRemove;

  RetainedMessages(Consumer<ApplicationMessage> onPut, Consumer<String> onRemove) {
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
      ApplicationMessage stored = message.withRetain(true);
      byTopic.put(message.topic(), stored);
      onPut.accept(stored);
    }
  }

  void restore(Collection<ApplicationMessage> messages) {
    for (ApplicationMessage m : messages) {
      byTopic.put(m.topic(), m);
    }
  }

  /** Retained messages matching a filter, skipping expired ones. */
  public List<ApplicationMessage> matching(TopicFilter filter, long nowMillis) {
    if (!filter.hasWildcards()) {
      ApplicationMessage m = byTopic.get(filter.filter());
      return m == null || m.isExpired(nowMillis) ? List.of() : List.of(m);
    }
    List<ApplicationMessage> out = new ArrayList<>();
    for (ApplicationMessage m : byTopic.values()) {
      if (!m.isExpired(nowMillis) && TopicRules.matches(filter.filter(), m.topic())) {
        out.add(m);
      }
    }
    return out;
  }

  public ApplicationMessage get(String topic) {
    return byTopic.get(topic);
  }

  /** A page of retained messages in topic order, for the iot-data ListRetainedMessages API. */
  public List<ApplicationMessage> all() {
    List<ApplicationMessage> out = new ArrayList<>(byTopic.values());
    out.sort((a, b) -> a.topic().compareTo(b.topic()));
    return out;
  }

  public int size() {
    return byTopic.size();
  }
}
