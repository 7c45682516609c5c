package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5 4.9 (flow control), 4.4 (message delivery retry), 3.1.2.11.4 (maximum packet size). */
class FlowControlTest {

  private static final Duration QUIET = Duration.ofMillis(400);

  private static void publishQos1(Mqtt5BlockingClient pub, String topic, int count) {
    for (int i = 1; i <= count; i++) {
      pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
    }
  }

  @Test
  void inflight_clientReceiveMaximum_neverExceededUntilAcknowledged() throws Exception {
    // [MQTT-4.9.0-2] the server does not send more unacknowledged QoS 1/2 PUBLISH than the client's
    // Receive Maximum; [MQTT-4.9.0-3] an acknowledgement makes room for the next one.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("rm2", true, 60, Props.of(Props.RECEIVE_MAXIMUM, 2));
      raw.subscribe("fc/t", 1);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publishQos1(pub, "fc/t", 5);
      RawClient.Packet a = raw.expect(RawClient.PUBLISH);
      RawClient.Packet b = raw.expect(RawClient.PUBLISH);
      assertThat(List.of(a.payloadString(), b.payloadString())).containsExactly("m1", "m2");
      assertThat(raw.poll(QUIET)).as("a third message beyond receive maximum 2").isNull();
      raw.puback(a.packetId());
      assertThat(raw.expect(RawClient.PUBLISH).payloadString()).isEqualTo("m3");
      assertThat(raw.poll(QUIET)).isNull();
      pub.disconnect();
    }
  }

  @Test
  void inflight_unacknowledgedAtDisconnect_resentWithDupAfterReconnect() throws Exception {
    // [MQTT-4.4.0-1] on a resumed session unacknowledged PUBLISH packets are resent with the
    // original packet identifiers and [MQTT-3.3.1-1] DUP set; then the queue continues in order.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Props props = Props.of(Props.RECEIVE_MAXIMUM, 2).with(Props.SESSION_EXPIRY_INTERVAL, 300);
      int idA;
      int idB;
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect("redeliver", true, 60, props);
        raw.subscribe("rd/t", 1);
        Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
        publishQos1(pub, "rd/t", 5);
        pub.disconnect();
        RawClient.Packet a = raw.expect(RawClient.PUBLISH);
        RawClient.Packet b = raw.expect(RawClient.PUBLISH);
        idA = a.packetId();
        idB = b.packetId();
        assertThat(a.dup()).isFalse();
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(raw.connect("redeliver", false, 60, props).sessionPresent()).isTrue();
        RawClient.Packet a = raw.expect(RawClient.PUBLISH);
        RawClient.Packet b = raw.expect(RawClient.PUBLISH);
        assertThat(a.dup()).isTrue();
        assertThat(b.dup()).isTrue();
        assertThat(a.packetId()).isEqualTo(idA);
        assertThat(b.packetId()).isEqualTo(idB);
        assertThat(List.of(a.payloadString(), b.payloadString())).containsExactly("m1", "m2");
        assertThat(raw.poll(QUIET)).isNull();
        List<String> rest = new ArrayList<>();
        raw.puback(a.packetId());
        raw.puback(b.packetId());
        for (int i = 0; i < 3; i++) {
          RawClient.Packet p = raw.expect(RawClient.PUBLISH);
          assertThat(p.dup()).isFalse();
          rest.add(p.payloadString());
          raw.puback(p.packetId());
        }
        assertThat(rest).containsExactly("m3", "m4", "m5");
      }
    }
  }

  @Test
  void inflight_reconnectWithSmallerReceiveMaximum_resendsOnlyWhatTheNewWindowAllows()
      throws Exception {
    // [MQTT-4.4.0-1] resends keep their packet ids, and [MQTT-4.9.0-2] the new connection's
    // Receive Maximum bounds them too: the rest follow as acknowledgements free the window.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      List<Integer> firstIds = new ArrayList<>();
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect(
            "shrink",
            true,
            60,
            Props.of(Props.RECEIVE_MAXIMUM, 4).with(Props.SESSION_EXPIRY_INTERVAL, 300));
        raw.subscribe("sh/t", 1);
        Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
        publishQos1(pub, "sh/t", 4);
        pub.disconnect();
        for (int i = 0; i < 4; i++) {
          firstIds.add(raw.expect(RawClient.PUBLISH).packetId());
        }
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        Props smaller = Props.of(Props.RECEIVE_MAXIMUM, 2).with(Props.SESSION_EXPIRY_INTERVAL, 300);
        assertThat(raw.connect("shrink", false, 60, smaller).sessionPresent()).isTrue();
        RawClient.Packet a = raw.expect(RawClient.PUBLISH);
        RawClient.Packet b = raw.expect(RawClient.PUBLISH);
        assertThat(raw.poll(QUIET)).as("no third resend beyond receive maximum 2").isNull();
        raw.puback(a.packetId());
        RawClient.Packet c = raw.expect(RawClient.PUBLISH);
        assertThat(raw.poll(QUIET)).isNull();
        raw.puback(b.packetId());
        RawClient.Packet d = raw.expect(RawClient.PUBLISH);
        List<RawClient.Packet> resent = List.of(a, b, c, d);
        assertThat(resent).allSatisfy(p -> assertThat(p.dup()).isTrue());
        assertThat(resent).extracting(p -> p.packetId()).containsExactlyElementsOf(firstIds);
        assertThat(resent)
            .extracting(RawClient.Packet::payloadString)
            .containsExactly("m1", "m2", "m3", "m4");
      }
    }
  }

  @Test
  void inflight_hivemqReceiveMaximumOne_everythingDeliveredInOrder() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "rm1");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().restrictions().receiveMaximum(1).applyRestrictions().send();
      sub.subscribeWith().topicFilter("rm1/t").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      for (int i = 0; i < 50; i++) {
        pub.publishWith()
            .topic("rm1/t")
            .qos(i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE)
            .payload(utf8(Integer.toString(i)))
            .send();
      }
      for (int i = 0; i < 50; i++) {
        assertThat(inbox.nextPayload()).isEqualTo(Integer.toString(i));
      }
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void inbound_clientExceedsServerReceiveMaximum_disconnectReceiveMaximumExceeded()
      throws Exception {
    // [MQTT-3.3.4-9] more unacknowledged QoS 2 PUBLISH than the server's Receive Maximum:
    // DISCONNECT 0x93.
    try (TestBroker broker =
            new TestBroker(
                Profile.MQTT, BrokerOptions.permissive(), l -> l.set("receive-maximum", "2"));
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack = raw.connect("greedy", true, 60);
      assertThat(ack.props().integer(Props.RECEIVE_MAXIMUM)).isEqualTo(2L);
      raw.publish("g/t", 2, 1, "1");
      raw.expect(RawClient.PUBREC);
      raw.publish("g/t", 2, 2, "2");
      raw.expect(RawClient.PUBREC);
      raw.publish("g/t", 2, 3, "3");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x93);
    }
  }

  @Test
  void maximumPacketSize_messageLargerThanClientMaximum_notSent() throws Exception {
    // [MQTT-3.1.2-24/25] the server never sends a packet larger than the client's Maximum Packet
    // Size; such a message is discarded for that client.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "small");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().restrictions().maximumPacketSize(256).applyRestrictions().send();
      sub.subscribeWith().topicFilter("mp/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("mp/t").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[1000]).send();
      pub.publishWith().topic("mp/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("small")).send();
      assertThat(inbox.nextPayload()).isEqualTo("small");
      // The dropped message did not leak an in-flight slot: more messages still flow.
      pub.publishWith().topic("mp/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("again")).send();
      assertThat(inbox.nextPayload()).isEqualTo("again");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void maximumPacketSize_rawClientMaximum_packetsNeverLarger() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("raw-small", true, 60, Props.of(Props.MAXIMUM_PACKET_SIZE, 100));
      raw.subscribe("mp2/t", 0);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith()
          .topic("mp2/t")
          .payload(new byte[90])
          .userProperties()
          .add("k", "v")
          .applyUserProperties()
          .send();
      pub.publishWith().topic("mp2/t").payload(new byte[80]).send();
      RawClient.Packet p = raw.expect(RawClient.PUBLISH);
      // 1 byte type + 1 byte length + body.
      assertThat(2 + p.body.length).isLessThanOrEqualTo(100);
      assertThat(p.payload()).hasSize(80);
      pub.disconnect();
    }
  }
}
