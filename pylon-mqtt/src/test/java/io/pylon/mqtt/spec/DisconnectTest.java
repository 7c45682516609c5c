package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MQTT 3.14 (DISCONNECT) and MQTT 5 4.13 (server-initiated disconnects with reason codes). */
class DisconnectTest {

  @Test
  void disconnect_clientSendsDisconnect_serverClosesConnection() throws Exception {
    // [MQTT-3.14.4-1] [MQTT-3.14.4-2] after DISCONNECT the server closes the connection.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      for (int version : new int[] {4, 5}) {
        try (RawClient raw = new RawClient(broker.port(), version)) {
          raw.connect("leaving" + version, true, 60);
          raw.send(raw.disconnectPacket(0, Props.none()));
          assertThat(raw.readUntilClosed()).isEmpty();
        }
      }
    }
  }

  @Test
  void disconnect_packetsAfterClientDisconnect_ignored() throws Exception {
    // [MQTT-3.14.4-1] nothing after DISCONNECT is processed.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient watcher = hive5(broker, "watcher");
      Inbox<Mqtt5Publish> inbox = Inbox.of(watcher);
      watcher.connect();
      watcher.subscribeWith().topicFilter("dc/#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect("late-talker", true, 60);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(raw.disconnectPacket(0, Props.none()));
        both.writeBytes(raw.publishPacket("dc/leak", 0, false, false, 0, null, utf8("leaked")));
        raw.send(both.toByteArray());
        assertThat(raw.readUntilClosed()).isEmpty();
      }
      watcher
          .publishWith()
          .topic("dc/marker")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(utf8("marker"))
          .send();
      assertThat(inbox.nextPayload()).isEqualTo("marker");
      watcher.disconnect();
    }
  }

  @Test
  void disconnect_serverShutdown_mqtt5ClientGetsServerShuttingDown() throws Exception {
    // MQTT 5 4.13: the server says why it closes: 0x8B server shutting down.
    TestBroker broker = new TestBroker(Profile.MQTT);
    CompletableFuture<Throwable> cause = new CompletableFuture<>();
    Mqtt5BlockingClient c =
        Clients.hive5Builder(broker, "shutdown")
            .addDisconnectedListener(ctx -> cause.complete(ctx.getCause()))
            .buildBlocking();
    c.connect();
    broker.close();
    Throwable t = cause.get(10, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(Mqtt5DisconnectException.class);
    assertThat(((Mqtt5DisconnectException) t).getMqttMessage().getReasonCode())
        .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
  }

  @Test
  void disconnect_serverInitiated_carriesReasonCodeAndReasonString() throws Exception {
    // MQTT 5 3.14.2.2.2: a reason string explains the disconnect (problem information requested).
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("explained"), true, 60);
      raw.publish("x/y", 2, 1, "qos2");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).hasSize(1);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x9B);
      assertThat(packets.get(0).props().string(Props.REASON_STRING)).contains("QoS");
    }
  }
}
