package io.pylon.mqtt.testing;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;

/**
 * Messages a client received, in arrival order, read with bounded waits. Register it before
 * connecting so that messages a resumed session delivers right after CONNACK are not missed.
 */
public final class Inbox<T> {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** A message received by a Paho client. */
  public record PahoMessage(
      String topic, int qos, boolean retained, boolean duplicate, byte[] payload) {
    public String payloadString() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** A message received by a Paho MQTT 5 client. */
  public record Paho5Message(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
    public String payloadString() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }
  }

  private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
  private final Function<T, String> payloadOf;

  private Inbox(Function<T, String> payloadOf) {
    this.payloadOf = payloadOf;
  }

  public static Inbox<Mqtt5Publish> of(Mqtt5Client client) {
    Inbox<Mqtt5Publish> inbox =
        new Inbox<>(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
    client.toAsync().publishes(MqttGlobalPublishFilter.ALL, inbox.queue::add);
    return inbox;
  }

  public static Inbox<Mqtt3Publish> of(Mqtt3Client client) {
    Inbox<Mqtt3Publish> inbox =
        new Inbox<>(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
    client.toAsync().publishes(MqttGlobalPublishFilter.ALL, inbox.queue::add);
    return inbox;
  }

  public static Inbox<PahoMessage> of(MqttClient client) {
    Inbox<PahoMessage> inbox = new Inbox<>(PahoMessage::payloadString);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(
              String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            inbox.queue.add(
                new PahoMessage(
                    topic,
                    message.getQos(),
                    message.isRetained(),
                    message.isDuplicate(),
                    message.getPayload()));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    return inbox;
  }

  public static Inbox<Paho5Message> of(org.eclipse.paho.mqttv5.client.MqttClient client) {
    Inbox<Paho5Message> inbox = new Inbox<>(Paho5Message::payloadString);
    client.setCallback(
        new org.eclipse.paho.mqttv5.client.MqttCallback() {
          @Override
          public void disconnected(
              org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {}

          @Override
          public void messageArrived(
              String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            inbox.queue.add(new Paho5Message(topic, message));
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(
              int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {}
        });
    return inbox;
  }

  /** The next message; fails when none arrives within 5 seconds. */
  public T next() {
    return next(DEFAULT_TIMEOUT);
  }

  public T next(Duration timeout) {
    return poll(timeout).orElseThrow(() -> new AssertionError("no message within " + timeout));
  }

  public String nextPayload() {
    return payloadOf.apply(next());
  }

  /** The payloads of the next {@code n} messages. */
  public List<String> nextPayloads(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(nextPayload());
    }
    return out;
  }

  public Optional<T> poll(Duration timeout) {
    try {
      return Optional.ofNullable(queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Messages already received and not yet read. */
  public List<T> drain() {
    List<T> out = new ArrayList<>();
    queue.drainTo(out);
    return out;
  }

  public int size() {
    return queue.size();
  }
}
