package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

/** MQTT 3.1.2.5 and MQTT 5 3.1.2.5 / 3.1.3.2: will messages and the will delay interval. */
class WillTest {

  /** A subscriber on "will/#" (QoS 1) and its inbox. */
  private static Inbox<Mqtt5Publish> watcher(TestBroker broker, String id) {
    Mqtt5BlockingClient w = hive5(broker, id);
    Inbox<Mqtt5Publish> inbox = Inbox.of(w);
    w.connect();
    w.subscribeWith().topicFilter("will/#").qos(MqttQos.AT_LEAST_ONCE).send();
    return inbox;
  }

  private static RawClient connectWithWill(
      TestBroker broker,
      int version,
      String id,
      int keepAlive,
      Props connectProps,
      Props willProps,
      boolean willRetain)
      throws Exception {
    RawClient raw = new RawClient(broker.port(), version);
    raw.send(
        raw.connectPacket(
            id,
            true,
            keepAlive,
            connectProps,
            "will/" + id,
            utf8("gone:" + id),
            1,
            willRetain,
            willProps,
            null));
    assertThat(raw.expect(RawClient.CONNACK).reasonCode()).isZero();
    return raw;
  }

  @Test
  void will_networkConnectionDropped_published() throws Exception {
    // [MQTT-3.1.2-8] the will is published when the connection closes without DISCONNECT.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw = connectWithWill(broker, 4, "dropper", 60, null, null, false);
      raw.close();
      Mqtt5Publish will = inbox.next();
      assertThat(will.getTopic().toString()).isEqualTo("will/dropper");
      assertThat(utf8(will.getPayloadAsBytes())).isEqualTo("gone:dropper");
      assertThat(will.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    }
  }

  @Test
  void will_pahoForcedDisconnectWithoutPacket_published() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, uniqueId("watcher"));
      MqttClient paho = Clients.paho3(broker, uniqueId("paho-will"));
      MqttConnectOptions o = Clients.paho3Options(true);
      o.setWill("will/paho", utf8("paho died"), 1, false);
      paho.connect(o);
      paho.disconnectForcibly(0, 1000, false);
      assertThat(inbox.nextPayload()).isEqualTo("paho died");
      paho.close();
    }
  }

  @Test
  void will_normalDisconnect_notPublished() {
    // [MQTT-3.1.2-10] [MQTT-3.14.4-3] DISCONNECT (reason 0x00) deletes the will.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      Mqtt5BlockingClient c = hive5(broker, "polite");
      c.connectWith()
          .willPublish()
          .topic("will/polite")
          .payload(utf8("no"))
          .applyWillPublish()
          .send();
      c.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "marker");
      pub.publishWith()
          .topic("will/marker")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(utf8("marker"))
          .send();
      assertThat(inbox.nextPayload()).isEqualTo("marker");
      pub.disconnect();
    }
  }

  @Test
  void will_disconnectWithWillReason_published() {
    // MQTT 5 3.14.2.1: reason 0x04 "Disconnect with Will Message" keeps the will.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      Mqtt5BlockingClient c = hive5(broker, "leaver");
      c.connectWith()
          .willPublish()
          .topic("will/leaver")
          .payload(utf8("bye"))
          .applyWillPublish()
          .send();
      c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
      assertThat(inbox.nextPayload()).isEqualTo("bye");
    }
  }

  @Test
  void will_retainFlag_storedAsRetainedMessage() throws Exception {
    // [MQTT-3.1.2-17] will retain: published as a retained message.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw = connectWithWill(broker, 4, "retainer", 60, null, null, true);
      raw.close();
      inbox.next();
      assertThat(broker.broker().retained("will/retainer")).isNotNull();
      assertThat(utf8(broker.broker().retained("will/retainer").payload()))
          .isEqualTo("gone:retainer");
    }
  }

  @Test
  void will_delayInterval_publishedAfterDelay() throws Exception {
    // [MQTT-3.1.3-9] the will waits for the will delay interval.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw =
          connectWithWill(
              broker,
              5,
              "delayed",
              60,
              Props.of(Props.SESSION_EXPIRY_INTERVAL, 60),
              Props.of(Props.WILL_DELAY_INTERVAL, 1),
              false);
      long closedAt = System.nanoTime();
      raw.close();
      Mqtt5Publish will = inbox.next();
      long elapsedMillis = (System.nanoTime() - closedAt) / 1_000_000;
      assertThat(utf8(will.getPayloadAsBytes())).isEqualTo("gone:delayed");
      assertThat(elapsedMillis).isGreaterThanOrEqualTo(900);
    }
  }

  @Test
  void will_reconnectWithinDelay_notPublished() throws Exception {
    // [MQTT-3.1.3-9] a new connection to the session before the delay elapses cancels the will.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw =
          connectWithWill(
              broker,
              5,
              "comeback",
              60,
              Props.of(Props.SESSION_EXPIRY_INTERVAL, 60),
              // Long enough for a loaded machine to reconnect in time; watched past its end below.
              Props.of(Props.WILL_DELAY_INTERVAL, 2),
              false);
      raw.close();
      try (RawClient again = new RawClient(broker.port(), 5)) {
        RawClient.Packet ack =
            again.connect("comeback", false, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 60));
        assertThat(ack.sessionPresent()).isTrue();
        await()
            .during(Duration.ofMillis(2500))
            .atMost(Duration.ofSeconds(4))
            .until(() -> inbox.size() == 0);
      }
    }
  }

  @Test
  void will_delayedAndSessionTakenOver_notPublished() throws Exception {
    // A takeover is a new connection to the session before the delay elapsed [MQTT-3.1.3-9].
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient old =
          connectWithWill(
              broker,
              5,
              "taken",
              60,
              Props.of(Props.SESSION_EXPIRY_INTERVAL, 60),
              // Long enough for a loaded machine to reconnect in time; watched past its end below.
              Props.of(Props.WILL_DELAY_INTERVAL, 2),
              false);
      try (RawClient again = new RawClient(broker.port(), 5)) {
        again.connect("taken", false, 60, Props.of(Props.SESSION_EXPIRY_INTERVAL, 60));
        assertThat(old.readUntilClosed())
            .extracting(p -> p.type)
            .containsExactly(RawClient.DISCONNECT);
        await()
            .during(Duration.ofMillis(2500))
            .atMost(Duration.ofSeconds(4))
            .until(() -> inbox.size() == 0);
      }
      old.close();
    }
  }

  @Test
  void will_delayedAndReconnectWithCleanStart_publishedBecauseSessionEnded() throws Exception {
    // MQTT 5 3.1.2.5: the will is published when the delay elapses or the session ends, whichever
    // is first; a clean start ends the old session.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw =
          connectWithWill(
              broker,
              5,
              "cleaner",
              60,
              Props.of(Props.SESSION_EXPIRY_INTERVAL, 60),
              Props.of(Props.WILL_DELAY_INTERVAL, 30),
              false);
      raw.close();
      try (RawClient again = new RawClient(broker.port(), 5)) {
        assertThat(again.connect("cleaner", true, 60).sessionPresent()).isFalse();
        assertThat(inbox.nextPayload()).isEqualTo("gone:cleaner");
      }
    }
  }

  @Test
  void will_delayLongerThanSessionExpiry_publishedWhenSessionEnds() throws Exception {
    // MQTT 5 3.1.3.2.2: the session ending (expiry 1 s) sends the will before its 60 s delay.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw =
          connectWithWill(
              broker,
              5,
              "expirer",
              60,
              Props.of(Props.SESSION_EXPIRY_INTERVAL, 1),
              Props.of(Props.WILL_DELAY_INTERVAL, 60),
              false);
      raw.close();
      assertThat(inbox.next(Duration.ofSeconds(5)).getTopic().toString()).isEqualTo("will/expirer");
    }
  }

  @Test
  void will_serverClosesForProtocolError_published() throws Exception {
    // [MQTT-3.1.2-8] a connection the server closes for a protocol error publishes the will.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      try (RawClient raw = connectWithWill(broker, 4, "violator", 60, null, null, false)) {
        raw.send(raw.connectPacket("violator", true, 60, null, null, null, 0, false, null, null));
        raw.readUntilClosed();
        assertThat(inbox.nextPayload()).isEqualTo("gone:violator");
      }
    }
  }

  @Test
  void will_sessionTakenOverWithoutDelay_oldWillPublished() throws Exception {
    // [MQTT-3.1.4-3] the existing client is disconnected; its will (delay 0) is published.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      try (RawClient old = connectWithWill(broker, 4, "dup", 60, null, null, false);
          RawClient again = new RawClient(broker.port(), 4)) {
        again.connect("dup", true, 60);
        assertThat(old.readUntilClosed()).isEmpty();
        assertThat(inbox.nextPayload()).isEqualTo("gone:dup");
      }
    }
  }

  @Test
  void will_mqtt5Properties_forwardedWithWill() throws Exception {
    // MQTT 5 3.1.3.2: will properties travel with the will message.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Inbox<Mqtt5Publish> inbox = watcher(broker, "watcher");
      RawClient raw =
          connectWithWill(
              broker,
              5,
              "propwill",
              60,
              null,
              Props.of(Props.CONTENT_TYPE, "text/plain")
                  .with(Props.RESPONSE_TOPIC, "reply/here")
                  .user("k", "v"),
              false);
      raw.close();
      Mqtt5Publish will = inbox.next();
      assertThat(will.getContentType().map(Object::toString)).hasValue("text/plain");
      assertThat(will.getResponseTopic().map(Object::toString)).hasValue("reply/here");
      assertThat(will.getUserProperties().asList()).hasSize(1);
      assertThat(will.getUserProperties().asList().get(0).getName().toString()).isEqualTo("k");
    }
  }

  @Test
  void will_payloadDeclaredUtf8ButInvalid_connectRefusedPayloadFormatInvalid() throws Exception {
    // MQTT 5 3.1.3.2.3: the server may validate a will declared UTF-8: CONNACK 0x99.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.send(
          raw.connectPacket(
              "bad-will",
              true,
              60,
              null,
              "will/bad",
              new byte[] {(byte) 0xFE},
              0,
              false,
              Props.of(Props.PAYLOAD_FORMAT_INDICATOR, 1),
              null));
      assertThat(raw.expect(RawClient.CONNACK).reasonCode()).isEqualTo(0x99);
      raw.readUntilClosed();
    }
  }
}
