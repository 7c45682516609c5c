package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 4.8 / 4.13 (handling errors), 1.5.4 (UTF-8 strings), 2.1-2.2 (fixed header), 3.1.0 (CONNECT
 * first and once): every malformed or illegal packet closes only the offending connection, while a
 * bystander keeps publishing and receiving.
 */
class MalformedPacketTest {

  private TestBroker broker;
  private Mqtt5BlockingClient bystander;
  private Inbox<Mqtt5Publish> inbox;
  private final AtomicInteger round = new AtomicInteger();

  @BeforeEach
  void start() {
    broker = new TestBroker(Profile.MQTT);
    bystander = hive5(broker, "bystander");
    inbox = Inbox.of(bystander);
    bystander.connect();
    bystander.subscribeWith().topicFilter("alive/#").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  @AfterEach
  void stop() {
    // The bystander still works after the bad client was thrown out.
    String payload = "still here " + round.incrementAndGet();
    bystander
        .publishWith()
        .topic("alive/check")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(utf8(payload))
        .send();
    assertThat(inbox.nextPayload()).isEqualTo(payload);
    bystander.disconnect();
    broker.close();
  }

  /** Connects a raw client, sends the bad bytes, and returns what arrived before the close. */
  private List<RawClient.Packet> afterConnect(int version, byte[] bad) throws Exception {
    try (RawClient raw = new RawClient(broker.port(), version)) {
      assertThat(raw.connect("bad-" + version, true, 60).reasonCode()).isZero();
      raw.send(bad);
      return raw.readUntilClosed();
    }
  }

  private static void assertDisconnect(List<RawClient.Packet> packets, int reasonCode) {
    assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
    assertThat(packets.get(0).reasonCode()).isEqualTo(reasonCode);
  }

  private static byte[] publishWithRawTopic(int version, byte[] topic) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(topic.length >> 8);
    body.write(topic.length);
    body.writeBytes(topic);
    if (version == 5) {
      body.write(0);
    }
    body.writeBytes(utf8("x"));
    return RawClient.packet(0x30, body.toByteArray());
  }

  @Test
  void remainingLength_moreThanFourBytes_connectionClosed() throws Exception {
    // [MQTT-2.2.3] the remaining length has at most 4 bytes.
    byte[] bad = {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    assertThat(afterConnect(4, bad)).isEmpty();
    assertDisconnect(afterConnect(5, bad), 0x81);
  }

  @Test
  void publishTopic_invalidUtf8_connectionClosed() throws Exception {
    // [MQTT-1.5.4-1] ill-formed UTF-8 makes the packet malformed.
    byte[] topic = {'a', (byte) 0xFF, 'b'};
    assertThat(afterConnect(4, publishWithRawTopic(4, topic))).isEmpty();
    assertDisconnect(afterConnect(5, publishWithRawTopic(5, topic)), 0x81);
  }

  @Test
  void publishTopic_encodedSurrogate_connectionClosed() throws Exception {
    // [MQTT-1.5.4-1] UTF-16 surrogates (U+D800..U+DFFF) encoded in UTF-8 are ill-formed.
    byte[] topic = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    assertThat(afterConnect(4, publishWithRawTopic(4, topic))).isEmpty();
  }

  @Test
  void publishTopic_nullCharacter_connectionClosed() throws Exception {
    // [MQTT-1.5.4-2] U+0000 must not appear in a UTF-8 string.
    byte[] topic = {'a', 0, 'b'};
    assertThat(afterConnect(4, publishWithRawTopic(4, topic))).isEmpty();
    assertDisconnect(afterConnect(5, publishWithRawTopic(5, topic)), 0x81);
  }

  @Test
  void publishTopic_wildcards_connectionClosed() throws Exception {
    // [MQTT-3.3.2-2] the topic name of a PUBLISH must not contain wildcards.
    assertThat(afterConnect(4, publishWithRawTopic(4, utf8("a/+/b")))).isEmpty();
    List<RawClient.Packet> v5 = afterConnect(5, publishWithRawTopic(5, utf8("a/#")));
    assertThat(v5).allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.DISCONNECT));
  }

  @Test
  void publishTopic_emptyMqtt311_connectionClosed() throws Exception {
    // [MQTT-4.7.3-1] topic names are at least one character long.
    assertThat(afterConnect(4, publishWithRawTopic(4, new byte[0]))).isEmpty();
  }

  @Test
  void secondConnect_connectionClosedWithProtocolError() throws Exception {
    // [MQTT-3.1.0-2] a second CONNECT is a protocol violation.
    try (RawClient probe = new RawClient(broker.port(), 4)) {
      byte[] connect =
          probe.connectPacket("again", true, 60, null, null, null, 0, false, null, null);
      assertThat(afterConnect(4, connect)).isEmpty();
    }
    try (RawClient probe = new RawClient(broker.port(), 5)) {
      byte[] connect =
          probe.connectPacket("again5", true, 60, null, null, null, 0, false, null, null);
      assertDisconnect(afterConnect(5, connect), 0x82);
    }
  }

  @Test
  void publish_qos3_connectionClosed() throws Exception {
    // [MQTT-3.3.1-4] QoS bits 11 are malformed.
    byte[] bad = RawClient.packet(0x36, new byte[] {0, 1, 'a', 0, 1, 'x'});
    assertThat(afterConnect(4, bad)).isEmpty();
  }

  @Test
  void packetType0_connectionClosed() throws Exception {
    // [MQTT-2.1.2] control packet type 0 is reserved.
    assertThat(afterConnect(4, new byte[] {0x00, 0x00})).isEmpty();
    assertThat(afterConnect(5, new byte[] {0x00, 0x00}))
        .allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.DISCONNECT));
  }

  @Test
  void packetBeforeConnect_closedWithoutConnAck() throws Exception {
    // [MQTT-3.1.0-1] the first packet must be CONNECT.
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      raw.publish("alive/x", 0, 0, "sneaky");
      assertThat(raw.readUntilClosed()).isEmpty();
    }
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      raw.send(RawClient.pingreq());
      assertThat(raw.readUntilClosed()).isEmpty();
    }
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      raw.send(raw.subscribePacket(1, null, new String[] {"#"}, new int[] {0}));
      assertThat(raw.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void subscribe_wrongFixedHeaderFlags_connectionClosed() throws Exception {
    // [MQTT-3.8.1-1] SUBSCRIBE flags must be 0010.
    try (RawClient probe = new RawClient(broker.port(), 4)) {
      byte[] good = probe.subscribePacket(1, null, new String[] {"a"}, new int[] {0});
      good[0] = (byte) 0x80;
      assertThat(afterConnect(4, good)).isEmpty();
    }
  }

  @Test
  void subscribe_noTopicFilters_connectionClosed() throws Exception {
    // [MQTT-3.8.3-3] a SUBSCRIBE must contain at least one filter.
    assertThat(afterConnect(4, RawClient.packet(0x82, new byte[] {0, 1}))).isEmpty();
    assertThat(afterConnect(5, RawClient.packet(0x82, new byte[] {0, 1, 0})))
        .allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.DISCONNECT));
  }

  @Test
  void unsubscribe_noTopicFilters_connectionClosed() throws Exception {
    // [MQTT-3.10.3-2] an UNSUBSCRIBE must contain at least one filter.
    assertThat(afterConnect(4, RawClient.packet(0xA2, new byte[] {0, 1}))).isEmpty();
  }

  @Test
  void subscribe_reservedOptionBits_connectionClosed() throws Exception {
    // [MQTT-3.8.3-5] reserved bits of the subscription options must be 0; QoS 3 is malformed.
    try (RawClient probe = new RawClient(broker.port(), 5)) {
      byte[] qos3 = probe.subscribePacket(1, null, new String[] {"a"}, new int[] {3});
      assertThat(afterConnect(5, qos3))
          .allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.DISCONNECT));
    }
  }

  @Test
  void connect_reservedFlagSet_connectionClosed() throws Exception {
    // [MQTT-3.1.2-3] the reserved CONNECT flag must be 0.
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      byte[] connect =
          raw.connectPacket("reserved", true, 60, null, null, null, 0, false, null, null);
      connect[9] |= 1;
      raw.send(connect);
      assertThat(raw.readUntilClosed())
          .allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.CONNACK));
    }
  }

  @Test
  void connect_willQosWithoutWillFlag_connectionClosed() throws Exception {
    // [MQTT-3.1.2-13] without the will flag, will QoS must be 0.
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      byte[] connect =
          raw.connectPacket("willqos", true, 60, null, null, null, 0, false, null, null);
      connect[9] |= 0x08;
      raw.send(connect);
      assertThat(raw.readUntilClosed())
          .allSatisfy(
              p -> {
                assertThat(p.type).isEqualTo(RawClient.CONNACK);
                assertThat(p.reasonCode()).isNotZero();
              });
    }
  }

  @Test
  void connect_invalidUtf8ClientId_refused() throws Exception {
    try (RawClient raw = new RawClient(broker.port(), 4)) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(
          new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 3, 'a', (byte) 0xC0, 'b'});
      raw.send(RawClient.packet(0x10, body.toByteArray()));
      assertThat(raw.readUntilClosed())
          .allSatisfy(
              p -> {
                assertThat(p.type).isEqualTo(RawClient.CONNACK);
                assertThat(p.reasonCode()).isNotZero();
              });
    }
  }

  @Test
  void serverOnlyPacketFromClient_connectionClosed() throws Exception {
    // CONNACK, SUBACK, UNSUBACK and PINGRESP are sent by servers only.
    assertThat(afterConnect(4, new byte[] {0x20, 0x02, 0x00, 0x00})).isEmpty();
    assertDisconnect(afterConnect(5, new byte[] {(byte) 0xD0, 0x00}), 0x82);
  }

  @Test
  void publish_qos1PacketIdZero_connectionClosed() throws Exception {
    // [MQTT-2.2.1-3] QoS > 0 needs a non-zero packet identifier.
    try (RawClient probe = new RawClient(broker.port(), 4)) {
      assertThat(afterConnect(4, probe.publishPacket("a", 1, false, false, 0, null, utf8("x"))))
          .isEmpty();
    }
  }

  @Test
  void pubRel_wrongFixedHeaderFlags_connectionClosed() throws Exception {
    // [MQTT-3.6.1-1] PUBREL flags must be 0010.
    assertThat(afterConnect(4, new byte[] {0x60, 0x02, 0x00, 0x01})).isEmpty();
  }

  @Test
  void mqtt5_unknownPropertyIdentifier_disconnectMalformed() throws Exception {
    // MQTT 5 2.2.2.2: an unknown property identifier makes the packet malformed.
    byte[] bad = RawClient.packet(0x30, new byte[] {0, 1, 'a', 2, 0x7F, 0x01, 'x'});
    assertDisconnect(afterConnect(5, bad), 0x81);
  }

  @Test
  void packetsAfterProtocolError_ignored() throws Exception {
    // After the server decided to close, packets already sent behind the bad one are not processed:
    // the PUBLISH below must never reach the bystander (the check after each test reads its next
    // message and expects its own).
    try (RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("after-error", true, 60);
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.writeBytes(raw.connectPacket("again", true, 60, null, null, null, 0, false, null, null));
      both.writeBytes(raw.publishPacket("alive/leak", 1, false, false, 1, null, utf8("leaked")));
      raw.send(both.toByteArray());
      assertDisconnect(raw.readUntilClosed(), 0x82);
    }
  }

  @Test
  void garbageAfterConnect_connectionClosed() throws Exception {
    byte[] garbage = new byte[64];
    new java.util.Random(42).nextBytes(garbage);
    garbage[0] = (byte) 0xF3;
    assertThat(afterConnect(4, garbage)).isEmpty();
  }
}
