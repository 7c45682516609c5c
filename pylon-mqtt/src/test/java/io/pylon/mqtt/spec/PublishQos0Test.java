package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive3Connected;
import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 4.3.1 / 3.3: QoS 0, at most once. */
class PublishQos0Test {

  @Test
  void publishQos0_mqtt5_deliveredAtQos0() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("q0/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("q0/t").qos(MqttQos.AT_MOST_ONCE).payload(utf8("zero")).send();
      Mqtt5Publish received = inbox.next();
      // [MQTT-3.8.4-8] delivered at the lower of published and granted QoS.
      assertThat(received.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      assertThat(received.getTopic().toString()).isEqualTo("q0/t");
      assertThat(utf8(received.getPayloadAsBytes())).isEqualTo("zero");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos0_paho311ToHive311_delivered() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt3BlockingClient sub = hive3Connected(broker, "sub3");
      Inbox<Mqtt3Publish> inbox = Inbox.of(sub);
      sub.subscribeWith().topicFilter("q0/paho").qos(MqttQos.AT_MOST_ONCE).send();
      MqttClient pub = Clients.paho3Connected(broker, "paho-pub");
      pub.publish("q0/paho", utf8("from paho"), 0, false);
      Mqtt3Publish received = inbox.next();
      assertThat(utf8(received.getPayloadAsBytes())).isEqualTo("from paho");
      assertThat(received.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      pub.disconnect();
      pub.close();
      sub.disconnect();
    }
  }

  @Test
  void publishQos0_mqtt311PublisherToMqtt5Subscriber_delivered() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub5"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("mixed/#").send();
      Mqtt3BlockingClient pub = hive3Connected(broker, uniqueId("pub3"));
      pub.publishWith().topic("mixed/a").payload(utf8("v3 to v5")).send();
      assertThat(inbox.nextPayload()).isEqualTo("v3 to v5");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos0_offlinePersistentSubscriber_notQueued() {
    // QoS 0 messages are not stored for offline sessions (the spec allows it; AWS IoT does not
    // queue them).
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "offline0");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      sub.subscribeWith().topicFilter("off/#").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("off/0").qos(MqttQos.AT_MOST_ONCE).payload(utf8("lost")).send();
      pub.publishWith().topic("off/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("kept")).send();
      sub.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      // Only the QoS 1 message was queued; it is the first thing delivered.
      assertThat(inbox.nextPayload()).isEqualTo("kept");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos0_manyMessages_deliveredInOrder() {
    // [MQTT-4.6.0-6] messages of one topic are delivered in the order they were published.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "order-sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("order").qos(MqttQos.AT_MOST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "order-pub");
      for (int i = 0; i < 200; i++) {
        pub.publishWith().topic("order").payload(utf8(Integer.toString(i))).send();
      }
      for (int i = 0; i < 200; i++) {
        assertThat(inbox.nextPayload()).isEqualTo(Integer.toString(i));
      }
      pub.disconnect();
      sub.disconnect();
    }
  }
}
