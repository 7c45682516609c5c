package io.pylon.mqtt.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {

  @Test
  void publish_subscribe_mqtt5() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub =
          Mqtt5Client.builder()
              .identifier("sub")
              .serverHost("127.0.0.1")
              .serverPort(broker.port())
              .buildBlocking();
      sub.connect();
      Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
      sub.subscribeWith().topicFilter("a/+").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5BlockingClient pub =
          Mqtt5Client.builder()
              .identifier("pub")
              .serverHost("127.0.0.1")
              .serverPort(broker.port())
              .buildBlocking();
      pub.connect();
      pub.publishWith()
          .topic("a/b")
          .qos(MqttQos.EXACTLY_ONCE)
          .payload("hello".getBytes(StandardCharsets.UTF_8))
          .send();
      Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello");
      assertThat(received.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      pub.disconnect();
      sub.disconnect();
    }
  }
}
