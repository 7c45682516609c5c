package io.pylon.server.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.shadow.ShadowAnswers;
import io.pylon.domain.shadow.ShadowException;
import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowUpdate;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import java.time.Clock;

/**
 * Publishes shadow answers through the broker, as server messages at QoS 1 (each subscriber gets
 * them at the QoS it subscribed with, at most 1). The broker is attached once it exists: the
 * control plane, which REST updates go through, is built before it.
 */
public final class ShadowPublisher implements ShadowAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private volatile MqttBroker broker;

  public ShadowPublisher(Clock clock) {
    this.clock = clock;
  }

  /** Starts publishing through {@code broker}; before that, answers are dropped. */
  public void attach(MqttBroker broker) {
    this.broker = broker;
  }

  @Override
  public void updated(ShadowUpdate update) {
    String prefix = update.id().topicPrefix() + "/update/";
    // The order of AWS's own implementation: delta, documents, then accepted.
    update.delta().ifPresent(delta -> publish(prefix + "delta", delta));
    publish(prefix + "documents", update.documents());
    publish(prefix + "accepted", update.accepted());
  }

  @Override
  public void deleted(ShadowId id, ObjectNode answer) {
    publish(id.topicPrefix() + "/delete/accepted", answer);
  }

  /** {@code P/OP/rejected} with the shadow error document. */
  void rejected(String topic, ShadowException e) {
    ObjectNode error = JSON.createObjectNode();
    error.put("code", e.code());
    error.put("message", e.getMessage());
    error.put("timestamp", clock.millis() / 1000);
    e.clientToken().ifPresent(t -> error.put("clientToken", t));
    publish(topic, error);
  }

  void publish(String topic, ObjectNode payload) {
    MqttBroker target = broker;
    if (target == null) {
      return;
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    target.publish(
        new ApplicationMessage(
            topic, bytes, Qos.AT_LEAST_ONCE, false, MessageProperties.NONE, 0, null));
  }
}
