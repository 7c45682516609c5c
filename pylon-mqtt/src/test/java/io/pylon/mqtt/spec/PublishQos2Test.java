package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 4.3.3 / 3.5-3.7: QoS 2, exactly once (MQTT profile only). */
class PublishQos2Test {

  @Test
  void publishQos2_mqtt5MqttProfile_exactlyOnceEndToEnd() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("q2/t").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      Mqtt5PublishResult result =
          pub.publishWith().topic("q2/t").qos(MqttQos.EXACTLY_ONCE).payload(utf8("two")).send();
      assertThat(((Mqtt5PublishResult.Mqtt5Qos2Result) result).getPubRec().getReasonCode())
          .isEqualTo(Mqtt5PubRecReasonCode.SUCCESS);
      Mqtt5Publish received = inbox.next();
      assertThat(received.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      assertThat(utf8(received.getPayloadAsBytes())).isEqualTo("two");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void publishQos2_paho311_exactlyOnceEndToEnd() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      MqttClient sub = Clients.paho3(broker, "paho-sub");
      Inbox<Inbox.PahoMessage> inbox = Inbox.of(sub);
      sub.connect(Clients.paho3Options(true));
      sub.subscribe("q2/paho", 2);
      MqttClient pub = Clients.paho3Connected(broker, "paho-pub");
      for (int i = 0; i < 20; i++) {
        pub.publish("q2/paho", utf8("e" + i), 2, false);
      }
      for (int i = 0; i < 20; i++) {
        Inbox.PahoMessage m = inbox.next();
        assertThat(m.qos()).isEqualTo(2);
        assertThat(m.payloadString()).isEqualTo("e" + i);
      }
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void publishQos2_resentBeforePubRel_deliveredOnlyOnce() throws Exception {
    // [MQTT-4.3.3-9] until PUBREL the receiver must not deliver the message again for the same id.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("q2/dup").qos(MqttQos.EXACTLY_ONCE).send();
      raw.connect("raw-q2", true, 60);
      raw.publish("q2/dup", 2, 11, "once");
      assertThat(raw.expect(RawClient.PUBREC).packetId()).isEqualTo(11);
      raw.send(raw.publishPacket("q2/dup", 2, false, true, 11, null, utf8("once")));
      assertThat(raw.expect(RawClient.PUBREC).packetId()).isEqualTo(11);
      raw.send(raw.ack(RawClient.PUBREL, 11));
      RawClient.Packet comp = raw.expect(RawClient.PUBCOMP);
      assertThat(comp.packetId()).isEqualTo(11);
      assertThat(comp.reasonCode()).isEqualTo(0);
      // A new message with the same id after PUBCOMP is a new message [MQTT-4.3.3-10].
      raw.publish("q2/dup", 2, 11, "again");
      raw.expect(RawClient.PUBREC);
      raw.send(raw.ack(RawClient.PUBREL, 11));
      raw.expect(RawClient.PUBCOMP);
      assertThat(inbox.nextPayloads(2)).containsExactly("once", "again");
      sub.disconnect();
    }
  }

  @Test
  void publishQos2_pubRelForUnknownId_pubCompPacketIdNotFound() throws Exception {
    // MQTT 5 3.7.2.1: PUBCOMP 0x92 when the packet identifier is not known.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("raw-rel", true, 60);
      raw.send(raw.ack(RawClient.PUBREL, 77));
      RawClient.Packet comp = raw.expect(RawClient.PUBCOMP);
      assertThat(comp.packetId()).isEqualTo(77);
      assertThat(comp.reasonCode()).isEqualTo(0x92);
    }
  }

  @Test
  void publishQos2_rawSubscriber_fullOutboundHandshake() throws Exception {
    // [MQTT-4.3.3-1..5] the sender: PUBLISH, PUBREC in, PUBREL out, PUBCOMP in.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("raw-sub2", true, 60);
      assertThat(raw.subscribe("q2/out", 2).codes()).containsExactly(2);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("q2/out").qos(MqttQos.EXACTLY_ONCE).payload(utf8("a")).send();
      pub.publishWith().topic("q2/out").qos(MqttQos.EXACTLY_ONCE).payload(utf8("b")).send();
      RawClient.Packet first = raw.expect(RawClient.PUBLISH);
      RawClient.Packet second = raw.expect(RawClient.PUBLISH);
      assertThat(List.of(first.payloadString(), second.payloadString())).containsExactly("a", "b");
      assertThat(first.qos()).isEqualTo(2);
      raw.send(raw.ack(RawClient.PUBREC, first.packetId()));
      RawClient.Packet rel = raw.expect(RawClient.PUBREL);
      assertThat(rel.packetId()).isEqualTo(first.packetId());
      assertThat(rel.flags).isEqualTo(2);
      raw.send(raw.ack(RawClient.PUBCOMP, first.packetId()));
      raw.send(raw.ack(RawClient.PUBREC, second.packetId()));
      assertThat(raw.expect(RawClient.PUBREL).packetId()).isEqualTo(second.packetId());
      raw.send(raw.ack(RawClient.PUBCOMP, second.packetId()));
      raw.send(RawClient.pingreq());
      raw.expect(RawClient.PINGRESP);
      pub.disconnect();
    }
  }

  @Test
  void publishQos2_awsProfileMqtt5_disconnectQosNotSupported() throws Exception {
    // AWS IoT has no QoS 2: [MQTT-3.3.1-4] PUBLISH above Maximum QoS → DISCONNECT 0x9B.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("aws-q2"), true, 60);
      raw.publish("aws/q2", 2, 1, "nope");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).hasSize(1);
      assertThat(packets.get(0).type).isEqualTo(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x9B);
    }
  }

  @Test
  void publishQos2_awsProfileMqtt311_closedWithoutPubRec() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect(uniqueId("aws-q2-311"), true, 60);
      raw.publish("aws/q2", 2, 1, "nope");
      assertThat(raw.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void subscribeQos2_awsProfile_grantedQos1() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5Connected(broker, uniqueId("aws-sub2"));
      Mqtt5SubAck ack = sub.subscribeWith().topicFilter("aws/t").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
      sub.disconnect();
    }
  }
}
