package io.pylon.it.harness;

import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Traffic for tests of what survives a restart: retained messages, persistent sessions of MQTT
 * 3.1.1 and 5 clients, and the QoS 1 messages queued for them while they are away.
 */
public final class SessionTraffic {

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;

  private SessionTraffic() {}

  /**
   * Publishes a retained message at QoS 1; with {@code origin}, also a content type and a user
   * property {@code origin} so that MQTT 5 properties can be checked after the restart.
   */
  public static void retain(Mqtt5AsyncClient publisher, String topic, String text, String origin)
      throws Exception {
    var publish =
        publisher
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .retain(true)
            .payload(text.getBytes(StandardCharsets.UTF_8));
    if (origin != null) {
      publish =
          publish
              .contentType("text/plain")
              .userProperties()
              .add("origin", origin)
              .applyUserProperties();
    }
    publish.send().get(TIMEOUT, TimeUnit.SECONDS);
  }

  /** Opens a persistent 3.1.1 session subscribed to {@code topic} at QoS 1, then leaves. */
  public static void subscribe311(String id, int port, String topic) throws Exception {
    Mqtt3AsyncClient client = Clients.hive3(id, port).buildAsync();
    client.connectWith().cleanSession(false).send().get(TIMEOUT, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
  }

  /**
   * Opens an MQTT 5 session (expiry one hour) subscribed to {@code topic} at QoS 1, then leaves.
   */
  public static void subscribe5(String id, int port, String topic) throws Exception {
    Mqtt5AsyncClient client = Clients.hive5(id, port).buildAsync();
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(3600)
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
  }

  /** Publishes m1..mN at QoS 1 from a throw-away MQTT 5 client, each acknowledged. */
  public static void publishQos1(int port, String topic, int count) throws Exception {
    Mqtt5AsyncClient publisher = Clients.hive5(clientId("queue-pub"), port).buildAsync();
    try {
      publisher.connect().get(TIMEOUT, TimeUnit.SECONDS);
      for (int i = 1; i <= count; i++) {
        publisher
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
            .send()
            .get(TIMEOUT, TimeUnit.SECONDS);
      }
    } finally {
      RoundTrip.disconnectQuietly(publisher);
    }
  }

  /**
   * Resumes a 3.1.1 session without subscribing again: the stored subscription must deliver m1..mN
   * of {@link #publishQos1}, in order.
   */
  public static void assertQueueDelivered311(String id, int port, String topic, int count)
      throws Exception {
    Mqtt3AsyncClient client = Clients.hive3(id, port).buildAsync();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> received.add(p.getTopic() + " " + text(p.getPayloadAsBytes())));
    try {
      assertThat(
              client
                  .connectWith()
                  .cleanSession(false)
                  .send()
                  .get(TIMEOUT, TimeUnit.SECONDS)
                  .isSessionPresent())
          .as("session of " + id + " present after restart")
          .isTrue();
      assertThat(takeAll(received, count)).containsExactlyElementsOf(expected(topic, count));
    } finally {
      RoundTrip.disconnectQuietly(client);
    }
  }

  /** As {@link #assertQueueDelivered311} for an MQTT 5 session with expiry. */
  public static void assertQueueDelivered5(String id, int port, String topic, int count)
      throws Exception {
    Mqtt5AsyncClient client = Clients.hive5(id, port).buildAsync();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> received.add(p.getTopic() + " " + text(p.getPayloadAsBytes())));
    try {
      assertThat(
              client
                  .connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(3600)
                  .send()
                  .get(TIMEOUT, TimeUnit.SECONDS)
                  .isSessionPresent())
          .as("session of " + id + " present after restart")
          .isTrue();
      assertThat(takeAll(received, count)).containsExactlyElementsOf(expected(topic, count));
    } finally {
      RoundTrip.disconnectQuietly(client);
    }
  }

  private static List<String> expected(String topic, int count) {
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      expected.add(topic + " m" + i);
    }
    return expected;
  }

  private static List<String> takeAll(BlockingQueue<String> queue, int count)
      throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String next = queue.poll(TIMEOUT, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("received only " + out + ", expected " + count + " messages");
      }
      out.add(next);
    }
    return out;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
