package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.uniqueId;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 3.1.2.10: keep alive; MQTT 5 3.2.2.3.14: server keep alive. */
class KeepAliveTest {

  @Test
  void keepAlive_silentMqtt311Client_closedAfterOneAndAHalfIntervals() throws Exception {
    // [MQTT-3.1.2-24] no packet within 1.5 × keep alive: the server closes the connection.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("silent", true, 1);
      long start = System.nanoTime();
      assertThat(raw.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isBetween(1200L, 4000L);
    }
  }

  @Test
  void keepAlive_silentMqtt5Client_disconnectKeepAliveTimeout() throws Exception {
    // MQTT 5: DISCONNECT 0x8D (keep alive timeout), as AWS IoT's MQTT_KEEP_ALIVE_TIMEOUT.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("silent5", true, 1);
      List<RawClient.Packet> packets = raw.readUntilClosed(Duration.ofSeconds(5));
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x8D);
    }
  }

  @Test
  void keepAlive_pingRequests_keepConnectionOpen() throws Exception {
    // [MQTT-3.12.4-1] PINGREQ is answered with PINGRESP and counts as activity.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("pinger", true, 2);
      for (int i = 0; i < 8; i++) {
        // ~0.5 s between pings, 4 s in total (> 1.5 × keep alive); a 2 s keep-alive leaves a
        // loaded machine 3 s of slack between pings before the server would give up.
        assertThat(raw.poll(Duration.ofMillis(500))).isNull();
        raw.send(RawClient.pingreq());
        raw.expect(RawClient.PINGRESP);
      }
    }
  }

  @Test
  void keepAlive_timeout_publishesWill() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      Mqtt5BlockingClient watcher = hive5(broker, "watcher");
      Inbox<Mqtt5Publish> inbox = Inbox.of(watcher);
      watcher.connect();
      watcher.subscribeWith().topicFilter("ka/will").qos(MqttQos.AT_LEAST_ONCE).send();
      raw.send(
          raw.connectPacket(
              "ka-will", true, 1, null, "ka/will", "timed out".getBytes(), 1, false, null, null));
      raw.expect(RawClient.CONNACK);
      assertThat(inbox.next(Duration.ofSeconds(5)).getPayloadAsBytes())
          .asString()
          .isEqualTo("timed out");
      watcher.disconnect();
    }
  }

  @Test
  void keepAlive_serverKeepAlive_enforcedInsteadOfClientValue() throws Exception {
    // [MQTT-3.2.2-22] the client must use the Server Keep Alive; the server enforces it. AWS limits
    // narrowed to 1 s so that the clamp of a keep-alive of 0 ("none") is observable quickly.
    try (TestBroker broker =
            new TestBroker(
                Profile.AWS,
                BrokerOptions.permissive(),
                l -> l.set("keep-alive-min", "1").set("keep-alive-max", "1"));
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack = raw.connect(uniqueId("clamped"), true, 0);
      assertThat(ack.props().integer(Props.SERVER_KEEP_ALIVE)).isEqualTo(1L);
      List<RawClient.Packet> packets = raw.readUntilClosed(Duration.ofSeconds(5));
      assertThat(packets).extracting(p -> p.reasonCode()).containsExactly(0x8D);
    }
  }

  @Test
  void keepAlive_awsProfileOutOfRange_serverKeepAliveInConnAck() throws Exception {
    // AWS IoT: keep-alive clamped to 30..1200 s, 0 → 1200; the CONNACK says what is in force.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      int[][] cases = {{5, 30}, {0, 1200}, {3600, 1200}};
      for (int[] c : cases) {
        try (RawClient raw = new RawClient(broker.port(), 5)) {
          RawClient.Packet ack = raw.connect(uniqueId("ka"), true, c[0]);
          assertThat(ack.props().integer(Props.SERVER_KEEP_ALIVE)).isEqualTo((long) c[1]);
        }
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(raw.connect(uniqueId("ka"), true, 45).props().has(Props.SERVER_KEEP_ALIVE))
            .isFalse();
      }
    }
  }
}
