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
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 4.3.2 / 3.3-3.4: QoS 1, at least once. */
class PublishQos1Test {

  @Test
  void publishQos1_mqtt5_pubAckSuccessAndDeliveredAtQos1() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("q1/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      Mqtt5PublishResult result =
          pub.publishWith().topic("q1/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("one")).send();
      // [MQTT-4.3.2-4] the receiver acknowledges with PUBACK.
      assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      Mqtt5Publish received = inbox.next();
      assertThat(received.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(utf8(received.getPayloadAsBytes())).isEqualTo("one");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos1_subscriberGrantedQos0_downgradedToQos0() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("q1/down").qos(MqttQos.AT_MOST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("q1/down").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send();
      assertThat(inbox.next().getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos1_paho311_deliveryCompleteAndReceivedAtQos1() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      MqttClient sub = Clients.paho3(broker, "paho-sub");
      Inbox<Inbox.PahoMessage> inbox = Inbox.of(sub);
      sub.connect(Clients.paho3Options(true));
      sub.subscribe("q1/paho", 1);
      MqttClient pub = Clients.paho3Connected(broker, "paho-pub");
      // MqttClient.publish blocks until PUBACK for QoS 1.
      pub.publish("q1/paho", utf8("acked"), 1, false);
      Inbox.PahoMessage received = inbox.next();
      assertThat(received.qos()).isEqualTo(1);
      assertThat(received.payloadString()).isEqualTo("acked");
      assertThat(received.duplicate()).isFalse();
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void publishQos1_hive311_orderedDelivery() {
    // [MQTT-4.6.0-2..3] PUBLISH and PUBACK order; delivery order preserved for QoS 1.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt3BlockingClient sub = hive3Connected(broker, "sub3");
      Inbox<Mqtt3Publish> inbox = Inbox.of(sub);
      sub.subscribeWith().topicFilter("q1/order").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt3BlockingClient pub = hive3Connected(broker, "pub3");
      for (int i = 0; i < 100; i++) {
        pub.publishWith()
            .topic("q1/order")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(utf8("m" + i))
            .send();
      }
      for (int i = 0; i < 100; i++) {
        assertThat(inbox.nextPayload()).isEqualTo("m" + i);
      }
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos1_rawSubscriber_packetIdNonZeroAndAcknowledged() throws Exception {
    // [MQTT-2.2.1-3] QoS > 0 PUBLISH carries a non-zero packet identifier.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("raw-q1", true, 60);
      assertThat(raw.subscribe("raw/q1", 1).codes()).containsExactly(1);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("raw/q1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("p")).send();
      RawClient.Packet p = raw.expect(RawClient.PUBLISH);
      assertThat(p.qos()).isEqualTo(1);
      assertThat(p.dup()).isFalse();
      assertThat(p.packetId()).isNotZero();
      assertThat(p.payloadString()).isEqualTo("p");
      raw.puback(p.packetId());
      // The broker stays healthy after the PUBACK.
      raw.send(RawClient.pingreq());
      raw.expect(RawClient.PINGRESP);
      pub.disconnect();
    }
  }

  @Test
  void publishQos1_rawPublisherSamePacketIdTwice_bothAcknowledged() throws Exception {
    // [MQTT-4.3.2-5] after PUBACK the packet id may be reused; a resent DUP is a new delivery for
    // QoS 1.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("raw-pub", true, 60);
      raw.publish("raw/pub", 1, 9, "a");
      assertThat(raw.expect(RawClient.PUBACK).packetId()).isEqualTo(9);
      raw.publish("raw/pub", 1, 9, "b");
      assertThat(raw.expect(RawClient.PUBACK).packetId()).isEqualTo(9);
    }
  }

  @Test
  void publishQos1_concurrentPublishers_everyMessageOnceInPerPublisherOrder() throws Exception {
    // [MQTT-4.6.0-5] per publisher and topic, order is kept; with 4 publishers on their own event
    // loops racing into one subscriber session, nothing is lost or duplicated.
    int publishers = 4;
    int perPublisher = 300;
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sink");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().restrictions().receiveMaximum(10).applyRestrictions().send();
      sub.subscribeWith().topicFilter("race/+").qos(MqttQos.AT_LEAST_ONCE).send();
      java.util.List<java.util.concurrent.CompletableFuture<Void>> done =
          new java.util.ArrayList<>();
      java.util.List<com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient> clients =
          new java.util.ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient c = hive5(broker, "racer" + p).toAsync();
        c.connect().get(5, java.util.concurrent.TimeUnit.SECONDS);
        clients.add(c);
      }
      for (int p = 0; p < publishers; p++) {
        com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient c = clients.get(p);
        String topic = "race/" + p;
        java.util.concurrent.CompletableFuture<?>[] sends =
            new java.util.concurrent.CompletableFuture<?>[perPublisher];
        for (int i = 0; i < perPublisher; i++) {
          sends[i] =
              c.publishWith()
                  .topic(topic)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(utf8(p + ":" + i))
                  .send();
        }
        done.add(java.util.concurrent.CompletableFuture.allOf(sends));
      }
      java.util.concurrent.CompletableFuture.allOf(
              done.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
      int[] next = new int[publishers];
      for (int n = 0; n < publishers * perPublisher; n++) {
        String[] parts = inbox.nextPayload().split(":");
        int p = Integer.parseInt(parts[0]);
        assertThat(Integer.parseInt(parts[1]))
            .as("next message of publisher %d", p)
            .isEqualTo(next[p]);
        next[p]++;
      }
      assertThat(inbox.poll(java.time.Duration.ofMillis(200))).isEmpty();
      for (com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient c : clients) {
        c.disconnect().get(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      sub.disconnect();
    }
  }
}
