package io.pylon.mqtt.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.store.MemoryBrokerStore;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a persistent session keeps across a clean broker restart: the packet ids of messages in
 * flight, the released state of outbound QoS 2 messages and the inbound QoS 2 packet ids awaiting
 * PUBREL, so that QoS 1 resends are the same packets and QoS 2 stays exactly once.
 */
class SessionRestartTest {

  private final MemoryBrokerStore store = new MemoryBrokerStore();

  private TestBroker broker() {
    return new TestBroker(
        Profile.MQTT, BrokerOptions.permissive().withStore(store), UnaryOperator.identity());
  }

  @Test
  void outboundQos1_unacknowledgedAtShutdown_resentWithTheSamePacketIdAndDup() throws Exception {
    int packetId;
    try (TestBroker broker = broker()) {
      try (RawClient sub = new RawClient(broker.port(), 5);
          RawClient pub = new RawClient(broker.port(), 5)) {
        sub.connect("r1-sub", false, 60, sessionExpiry());
        sub.subscribe("r1/t", 1);
        pub.connect("r1-pub", true, 60);
        pub.publish("r1/t", 1, 1, "hello");
        pub.expect(RawClient.PUBACK);
        RawClient.Packet first = sub.expect(RawClient.PUBLISH);
        packetId = first.packetId();
        assertThat(first.dup()).isFalse();
      }
    }
    try (TestBroker broker = broker();
        RawClient sub = new RawClient(broker.port(), 5)) {
      assertThat(sub.connect("r1-sub", false, 60, sessionExpiry()).sessionPresent()).isTrue();
      RawClient.Packet resent = sub.expect(RawClient.PUBLISH);
      assertThat(resent.packetId()).isEqualTo(packetId);
      assertThat(resent.dup()).isTrue();
      assertThat(resent.payloadString()).isEqualTo("hello");
      sub.puback(packetId);
      assertThat(sub.poll(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void outboundQos2_releasedBeforeShutdown_onlyPubRelIsResent() throws Exception {
    int packetId;
    try (TestBroker broker = broker()) {
      try (RawClient sub = new RawClient(broker.port(), 5);
          RawClient pub = new RawClient(broker.port(), 5)) {
        sub.connect("r2-sub", false, 60, sessionExpiry());
        sub.subscribe("r2/t", 2);
        pub.connect("r2-pub", true, 60);
        pub.publish("r2/t", 2, 1, "once");
        pub.expect(RawClient.PUBREC);
        RawClient.Packet publish = sub.expect(RawClient.PUBLISH);
        packetId = publish.packetId();
        sub.send(sub.ack(RawClient.PUBREC, packetId));
        assertThat(sub.expect(RawClient.PUBREL).packetId()).isEqualTo(packetId);
        // The client has the message; it goes away before sending PUBCOMP.
      }
    }
    try (TestBroker broker = broker();
        RawClient sub = new RawClient(broker.port(), 5)) {
      assertThat(sub.connect("r2-sub", false, 60, sessionExpiry()).sessionPresent()).isTrue();
      RawClient.Packet resent = sub.read();
      assertThat(resent.type).isEqualTo(RawClient.PUBREL);
      assertThat(resent.packetId()).isEqualTo(packetId);
      sub.send(sub.ack(RawClient.PUBCOMP, packetId));
      assertThat(sub.poll(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void inboundQos2_awaitingPubRelAtShutdown_resentPublishIsNotDeliveredTwice() throws Exception {
    try (TestBroker broker = broker()) {
      try (RawClient sub = new RawClient(broker.port(), 5);
          RawClient pub = new RawClient(broker.port(), 5)) {
        sub.connect("r3-sub", false, 60, sessionExpiry());
        sub.subscribe("r3/t", 2);
        pub.connect("r3-pub", false, 60, sessionExpiry());
        pub.publish("r3/t", 2, 7, "exactly-once");
        assertThat(pub.expect(RawClient.PUBREC).packetId()).isEqualTo(7);
        RawClient.Packet delivered = sub.expect(RawClient.PUBLISH);
        assertThat(delivered.payloadString()).isEqualTo("exactly-once");
        sub.send(sub.ack(RawClient.PUBREC, delivered.packetId()));
        sub.expect(RawClient.PUBREL);
        sub.send(sub.ack(RawClient.PUBCOMP, delivered.packetId()));
        // Packets of one connection are handled in order: the PINGRESP proves the PUBCOMP was
        // handled before the connection and the broker go away.
        sub.send(RawClient.pingreq());
        sub.expect(RawClient.PINGRESP);
        // The publisher lost the PUBREC and will resend the PUBLISH after the restart.
      }
    }
    try (TestBroker broker = broker();
        RawClient sub = new RawClient(broker.port(), 5);
        RawClient pub = new RawClient(broker.port(), 5)) {
      assertThat(sub.connect("r3-sub", false, 60, sessionExpiry()).sessionPresent()).isTrue();
      assertThat(pub.connect("r3-pub", false, 60, sessionExpiry()).sessionPresent()).isTrue();
      pub.send(
          pub.publishPacket(
              "r3/t", 2, false, true, 7, null, "exactly-once".getBytes(StandardCharsets.UTF_8)));
      assertThat(pub.expect(RawClient.PUBREC).packetId()).isEqualTo(7);
      pub.send(pub.ack(RawClient.PUBREL, 7));
      assertThat(pub.expect(RawClient.PUBCOMP).reasonCode()).isZero();
      assertThat(sub.poll(Duration.ofMillis(500))).isNull();
    }
  }

  private static Props sessionExpiry() {
    return Props.of(Props.SESSION_EXPIRY_INTERVAL, 3600);
  }
}
