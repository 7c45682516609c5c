package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive3;
import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 4.1 (session state), 3.1.2.4 (clean session / clean start), 3.1.2.11.2 (session expiry). */
class SessionTest {

  private static double sessions(TestBroker broker) {
    return broker.broker().options().meters().get("pylon.mqtt.sessions").gauge().value();
  }

  private static void publish(
      Mqtt5BlockingClient pub, String topic, MqttQos qos, String... payloads) {
    for (String p : payloads) {
      pub.publishWith().topic(topic).qos(qos).payload(utf8(p)).send();
    }
  }

  @Test
  void session_persistentMqtt5_subscriptionsKeptAndQos1QueuedWhileOffline() {
    // [MQTT-4.1.0-1] the session (subscriptions, QoS 1 and 2 messages) outlives the connection.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "persist5");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      sub.subscribeWith().topicFilter("ps/#").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "ps/a", MqttQos.AT_LEAST_ONCE, "1", "2", "3");
      assertThat(
              sub.connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(300)
                  .send()
                  .isSessionPresent())
          .isTrue();
      assertThat(inbox.nextPayloads(3)).containsExactly("1", "2", "3");
      // The subscription still works for new messages.
      publish(pub, "ps/b", MqttQos.AT_LEAST_ONCE, "4");
      assertThat(inbox.nextPayload()).isEqualTo("4");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void session_persistentMqtt5_qos2QueuedWhileOfflineDeliveredOnce() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "persist-q2");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      sub.subscribeWith().topicFilter("ps2/t").qos(MqttQos.EXACTLY_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "ps2/t", MqttQos.EXACTLY_ONCE, "x", "y");
      publish(pub, "ps2/t", MqttQos.AT_LEAST_ONCE, "z");
      sub.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      Mqtt5Publish x = inbox.next();
      assertThat(x.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      assertThat(utf8(x.getPayloadAsBytes())).isEqualTo("x");
      assertThat(inbox.nextPayloads(2)).containsExactly("y", "z");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void session_persistentPaho311_cleanSessionFalseQueuesQos1() throws Exception {
    // 3.1.1 [MQTT-3.1.2-4] CleanSession 0 resumes; [MQTT-3.1.2-5] QoS 1/2 stored while offline.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      MqttClient sub = Clients.paho3(broker, "paho-persist");
      Inbox<Inbox.PahoMessage> inbox = Inbox.of(sub);
      sub.connect(Clients.paho3Options(false));
      sub.subscribe("pp/t", 1);
      sub.disconnect();
      MqttClient pub = Clients.paho3Connected(broker, "paho-pub");
      pub.publish("pp/t", utf8("while away"), 1, false);
      sub.connect(Clients.paho3Options(false));
      Inbox.PahoMessage m = inbox.next();
      assertThat(m.payloadString()).isEqualTo("while away");
      assertThat(m.qos()).isEqualTo(1);
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void session_hive311CleanSessionTrue_previousSessionDiscarded() {
    // 3.1.1 [MQTT-3.1.2-6] CleanSession 1 discards the previous session and starts a new one.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt3BlockingClient sub = hive3(broker, "clean311");
      sub.connectWith().cleanSession(false).send();
      sub.subscribeWith().topicFilter("c3/t").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "c3/t", MqttQos.AT_LEAST_ONCE, "old");
      assertThat(sub.connectWith().cleanSession(true).send().isSessionPresent()).isFalse();
      // The client library ends its message flows with the old session: listen anew.
      Inbox<Mqtt3Publish> inbox = Inbox.of(sub);
      sub.subscribeWith().topicFilter("c3/marker").qos(MqttQos.AT_LEAST_ONCE).send();
      publish(pub, "c3/t", MqttQos.AT_LEAST_ONCE, "not subscribed any more");
      publish(pub, "c3/marker", MqttQos.AT_LEAST_ONCE, "marker");
      assertThat(inbox.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void session_mqtt5ExpiryZero_endsWithConnection() {
    // [MQTT-3.1.2-23] session expiry 0 (absent): the session ends when the connection closes.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient c = hive5(broker, "ephemeral");
      c.connectWith().cleanStart(false).send();
      c.subscribeWith().topicFilter("e/t").send();
      c.disconnect();
      assertThat(c.connectWith().cleanStart(false).send().isSessionPresent()).isFalse();
      c.disconnect();
    }
  }

  @Test
  void session_mqtt5ExpiryElapsed_sessionDiscarded() {
    // MQTT 5 3.1.2.11.2: the session is deleted when the expiry interval passes after disconnect.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient c = hive5(broker, "short-lived");
      c.connectWith().cleanStart(true).sessionExpiryInterval(1).send();
      c.subscribeWith().topicFilter("sl/t").send();
      c.disconnect();
      assertThat(sessions(broker)).isEqualTo(1.0);
      await().atMost(Duration.ofSeconds(5)).until(() -> sessions(broker) == 0.0);
      assertThat(
              c.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent())
          .isFalse();
      c.disconnect();
    }
  }

  @Test
  void session_disconnectSetsExpiryZero_sessionEnds() {
    // MQTT 5 3.14.2.2.2: the DISCONNECT can change the session expiry interval.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient c = hive5(broker, "changer");
      c.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      c.disconnectWith().sessionExpiryInterval(0).send();
      await().atMost(Duration.ofSeconds(5)).until(() -> sessions(broker) == 0.0);
      assertThat(
              c.connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(300)
                  .send()
                  .isSessionPresent())
          .isFalse();
      c.disconnect();
    }
  }

  @Test
  void session_disconnectSetsExpiryAfterZeroAtConnect_protocolError() throws Exception {
    // [MQTT-3.14.2-2] a non-zero expiry at DISCONNECT after 0 at CONNECT is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("zero-then-some", true, 60);
      raw.send(raw.disconnectPacket(0, Props.of(Props.SESSION_EXPIRY_INTERVAL, 100)));
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x82);
    }
  }

  @Test
  void session_takeoverMqtt5_oldClientGetsDisconnectSessionTakenOver() throws Exception {
    // [MQTT-3.1.4-3] the server disconnects the existing client (MQTT 5: reason 0x8E).
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      CompletableFuture<Throwable> cause = new CompletableFuture<>();
      Mqtt5BlockingClient first =
          Clients.hive5Builder(broker, "twin")
              .addDisconnectedListener(ctx -> cause.complete(ctx.getCause()))
              .buildBlocking();
      first.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      first.subscribeWith().topicFilter("twin/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient second = hive5(broker, "twin");
      Inbox<Mqtt5Publish> inbox = Inbox.of(second);
      assertThat(
              second
                  .connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(300)
                  .send()
                  .isSessionPresent())
          .isTrue();
      Throwable t = cause.get(5, TimeUnit.SECONDS);
      assertThat(t).isInstanceOf(Mqtt5DisconnectException.class);
      assertThat(((Mqtt5DisconnectException) t).getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
      // The new connection owns the session and its subscriptions.
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "twin/t", MqttQos.AT_LEAST_ONCE, "to the new one");
      assertThat(inbox.nextPayload()).isEqualTo("to the new one");
      pub.disconnect();
      second.disconnect();
    }
  }

  @Test
  void session_takeoverMqtt311_oldConnectionClosed() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient old = new RawClient(broker.port(), 4);
        RawClient fresh = new RawClient(broker.port(), 4)) {
      old.connect("twin311", true, 60);
      fresh.connect("twin311", true, 60);
      assertThat(old.readUntilClosed()).isEmpty();
      fresh.send(RawClient.pingreq());
      fresh.expect(RawClient.PINGRESP);
    }
  }

  @Test
  void session_queueBound_messagesBeyondMaxQueuedDropped() {
    try (TestBroker broker =
        new TestBroker(
            Profile.MQTT,
            io.pylon.mqtt.broker.BrokerOptions.permissive(),
            l -> l.set("max-queued-messages", "3"))) {
      Mqtt5BlockingClient sub = hive5(broker, "bounded");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
      sub.subscribeWith().topicFilter("qb/t").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "qb/t", MqttQos.AT_LEAST_ONCE, "1", "2", "3", "4", "5");
      sub.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      assertThat(inbox.nextPayloads(3)).containsExactly("1", "2", "3");
      publish(pub, "qb/t", MqttQos.AT_LEAST_ONCE, "after");
      assertThat(inbox.nextPayload()).isEqualTo("after");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void session_inboundQos2StateSurvivesReconnect_notDeliveredTwice() throws Exception {
    // [MQTT-4.3.3-9] [MQTT-4.4.0-1]: a PUBLISH resent after reconnect for an id awaiting PUBREL
    // is acknowledged and not delivered again.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "watch");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("iq2/t").qos(MqttQos.EXACTLY_ONCE).send();
      sub.subscribeWith().topicFilter("iq2/marker").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect("iq2", true, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 300));
        raw.publish("iq2/t", 2, 5, "only once");
        raw.expect(RawClient.PUBREC);
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(
                raw.connect("iq2", false, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 300))
                    .sessionPresent())
            .isTrue();
        raw.send(raw.publishPacket("iq2/t", 2, false, true, 5, null, utf8("only once")));
        raw.expect(RawClient.PUBREC);
        raw.send(raw.ack(RawClient.PUBREL, 5));
        assertThat(raw.expect(RawClient.PUBCOMP).reasonCode()).isZero();
        raw.publish("iq2/marker", 1, 6, "marker");
        raw.expect(RawClient.PUBACK);
      }
      assertThat(inbox.nextPayloads(2)).containsExactly("only once", "marker");
      sub.disconnect();
    }
  }

  @Test
  void session_outboundQos2PubRelResentAfterReconnect() throws Exception {
    // [MQTT-4.4.0-1] on reconnect the server resends unacknowledged PUBREL.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      int packetId;
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect("oq2", true, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 300));
        raw.subscribe("oq2/t", 2);
        Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
        publish(pub, "oq2/t", MqttQos.EXACTLY_ONCE, "two");
        pub.disconnect();
        RawClient.Packet p = raw.expect(RawClient.PUBLISH);
        packetId = p.packetId();
        raw.send(raw.ack(RawClient.PUBREC, packetId));
        raw.expect(RawClient.PUBREL);
      }
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect("oq2", false, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 300));
        RawClient.Packet rel = raw.expect(RawClient.PUBREL);
        assertThat(rel.packetId()).isEqualTo(packetId);
        raw.send(raw.ack(RawClient.PUBCOMP, packetId));
        raw.send(RawClient.pingreq());
        raw.expect(RawClient.PINGRESP);
      }
    }
  }

  @Test
  void session_concurrentConnectsSameClientId_exactlyOneConnectionSurvives() throws Exception {
    // [MQTT-3.1.4-3] racing CONNECTs for one client id are ordered: each takes the previous over.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      List<com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient> clients = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(hive5(broker, "contended").toAsync());
      }
      List<CompletableFuture<?>> connects = new java.util.ArrayList<>();
      for (com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient c : clients) {
        connects.add(
            c.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(60)
                .send()
                .handle((ack, error) -> null));
      }
      CompletableFuture.allOf(connects.toArray(new CompletableFuture<?>[0]))
          .get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> clients.stream().filter(c -> c.getState().isConnected()).count() == 1);
      assertThat(sessions(broker)).isEqualTo(1.0);
      com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient survivor =
          clients.stream().filter(c -> c.getState().isConnected()).findFirst().orElseThrow();
      CompletableFuture<String> got = new CompletableFuture<>();
      survivor
          .subscribeWith()
          .topicFilter("contended/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> got.complete(utf8(p.getPayloadAsBytes())))
          .send()
          .get(5, TimeUnit.SECONDS);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "contended/t", MqttQos.AT_LEAST_ONCE, "winner");
      assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("winner");
      pub.disconnect();
      survivor.disconnect().get(5, TimeUnit.SECONDS);
    }
  }
}
