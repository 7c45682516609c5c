package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.MutableClock;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** MQTT 5 3.3.2.3 (PUBLISH properties), 3.8.2.1 / 3.8.3.1 (subscription identifiers, no local). */
class Mqtt5PropertiesTest {

  @Test
  void userProperties_forwardedUnchangedInOrder() {
    // [MQTT-3.3.2-17] [MQTT-3.3.2-18] user properties are forwarded unaltered, order kept.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("up/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      pub.publishWith()
          .topic("up/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(utf8("x"))
          .userProperties()
          .add("b", "2")
          .add("a", "1")
          .add("b", "3")
          .applyUserProperties()
          .send();
      List<? extends Mqtt5UserProperty> props = inbox.next().getUserProperties().asList();
      assertThat(props)
          .extracting(p -> p.getName() + "=" + p.getValue())
          .containsExactly("b=2", "a=1", "b=3");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void responseTopicAndCorrelationData_requestResponseRoundTrip() {
    // [MQTT-3.3.2-15] [MQTT-3.3.2-16] response topic and correlation data are forwarded unaltered.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient responder = hive5(broker, "responder");
      Inbox<Mqtt5Publish> requests = Inbox.of(responder);
      responder.connect();
      responder.subscribeWith().topicFilter("svc/request").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient requester = hive5(broker, "requester");
      Inbox<Mqtt5Publish> responses = Inbox.of(requester);
      requester.connect();
      requester
          .subscribeWith()
          .topicFilter("svc/reply/requester")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      requester
          .publishWith()
          .topic("svc/request")
          .qos(MqttQos.AT_LEAST_ONCE)
          .responseTopic("svc/reply/requester")
          .correlationData(utf8("corr-42"))
          .payload(utf8("ping"))
          .send();
      Mqtt5Publish request = requests.next();
      assertThat(request.getResponseTopic().map(Object::toString)).hasValue("svc/reply/requester");
      ByteBuffer corr = request.getCorrelationData().orElseThrow();
      responder
          .publishWith()
          .topic(request.getResponseTopic().get())
          .qos(MqttQos.AT_LEAST_ONCE)
          .correlationData(corr)
          .payload(utf8("pong"))
          .send();
      Mqtt5Publish response = responses.next();
      assertThat(utf8(response.getPayloadAsBytes())).isEqualTo("pong");
      ByteBuffer back = response.getCorrelationData().orElseThrow();
      byte[] bytes = new byte[back.remaining()];
      back.get(bytes);
      assertThat(utf8(bytes)).isEqualTo("corr-42");
      requester.disconnect();
      responder.disconnect();
    }
  }

  @Test
  void contentTypeAndPayloadFormatIndicator_forwarded() {
    // [MQTT-3.3.2-4] payload format indicator and [MQTT-3.3.2-20] content type are forwarded.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("ct/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith()
          .topic("ct/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .contentType("application/json")
          .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
          .payload(utf8("{\"a\":1}"))
          .send();
      Mqtt5Publish m = inbox.next();
      assertThat(m.getContentType().map(Object::toString)).hasValue("application/json");
      assertThat(m.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UTF_8);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void payloadFormatIndicatorUtf8WithInvalidPayload_pubAckPayloadFormatInvalid() throws Exception {
    // [MQTT-3.3.2-4]/4.13: the server may check the payload; invalid UTF-8 → PUBACK 0x99, not
    // routed.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("pfi/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      // HiveMQ's client reports a failure PUBACK as Mqtt5PubAckException carrying the PUBACK.
      Mqtt5PubAckException e =
          catchThrowableOfType(
              Mqtt5PubAckException.class,
              () ->
                  pub.publishWith()
                      .topic("pfi/t")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                      .payload(new byte[] {(byte) 0xC3, (byte) 0x28})
                      .send());
      Mqtt5PubAck ack = e.getMqttMessage();
      assertThat(ack.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
      assertThat(ack.getReasonString()).isPresent();
      // The connection stays usable and the refused message was not routed.
      pub.publishWith()
          .topic("pfi/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
          .payload(utf8("ok ✓"))
          .send();
      assertThat(inbox.nextPayload()).isEqualTo("ok ✓");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void reasonString_omittedWhenClientDeclinesProblemInformation() throws Exception {
    // [MQTT-3.1.2-29] Request Problem Information 0: no reason string on PUBACK.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("quiet", true, 60, Props.of(Props.REQUEST_PROBLEM_INFORMATION, 0));
      raw.send(
          raw.publishPacket(
              "pfi/q",
              1,
              false,
              false,
              1,
              Props.of(Props.PAYLOAD_FORMAT_INDICATOR, 1),
              new byte[] {(byte) 0xFF}));
      RawClient.Packet ack = raw.expect(RawClient.PUBACK);
      assertThat(ack.reasonCode()).isEqualTo(0x99);
      assertThat(ack.props().has(Props.REASON_STRING)).isFalse();
    }
  }

  @Test
  void messageExpiry_expiredQueuedMessageDroppedAndRemainingIntervalForwarded() {
    // [MQTT-3.3.2-5] an expired message is not delivered; [MQTT-3.3.2-6] the forwarded expiry
    // interval is the received value minus the time spent waiting in the server.
    MutableClock clock = new MutableClock();
    BrokerOptions options = BrokerOptions.permissive().withClock(clock);
    try (TestBroker broker = new TestBroker(Profile.MQTT, options, UnaryOperator.identity())) {
      Mqtt5BlockingClient sub = hive5(broker, "expiry-sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
      sub.subscribeWith().topicFilter("exp/t").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith()
          .topic("exp/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .messageExpiryInterval(5)
          .payload(utf8("short"))
          .send();
      pub.publishWith()
          .topic("exp/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .messageExpiryInterval(100)
          .payload(utf8("long"))
          .send();
      pub.publishWith().topic("exp/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("forever")).send();
      clock.advance(Duration.ofSeconds(10));
      sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
      Mqtt5Publish longOne = inbox.next();
      assertThat(utf8(longOne.getPayloadAsBytes())).isEqualTo("long");
      assertThat(longOne.getMessageExpiryInterval()).hasValue(90);
      Mqtt5Publish forever = inbox.next();
      assertThat(utf8(forever.getPayloadAsBytes())).isEqualTo("forever");
      assertThat(forever.getMessageExpiryInterval()).isEmpty();
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void messageExpiry_awsProfileAboveMaximum_clampedTo7Days() throws Exception {
    // AWS IoT: message expiry 1..604800 s; larger values are reduced.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient sub = new RawClient(broker.port(), 5);
        RawClient pub = new RawClient(broker.port(), 5)) {
      sub.connect(uniqueId("exp-sub"), true, 60);
      sub.subscribe("expc/t", 0);
      pub.connect(uniqueId("exp-pub"), true, 60);
      pub.publish("expc/t", 0, 0, Props.of(Props.MESSAGE_EXPIRY_INTERVAL, 10_000_000), "x");
      RawClient.Packet p = sub.expect(RawClient.PUBLISH);
      assertThat(p.props().integer(Props.MESSAGE_EXPIRY_INTERVAL)).isBetween(604_799L, 604_800L);
    }
  }

  @Test
  void subscriptionIdentifiers_mqttProfile_everyMatchingIdentifierSent() throws Exception {
    // [MQTT-3.3.4-3] the identifiers of all matching subscriptions are sent; retained messages
    // sent on subscribe carry the identifier of that subscription too (MQTT 5 3.8.4).
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack = raw.connect("subids", true, 60);
      assertThat(ack.props().has(Props.SUBSCRIPTION_IDENTIFIER_AVAILABLE)).isFalse();
      raw.subscribe(1, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 7), "sid/#", 1);
      raw.subscribe(2, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 300), "sid/+", 0);
      raw.subscribe(3, Props.none(), "sid/t", 0);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith()
          .topic("sid/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .payload(utf8("x"))
          .send();
      RawClient.Packet p = raw.expect(RawClient.PUBLISH);
      assertThat(p.props().integers(Props.SUBSCRIPTION_IDENTIFIER))
          .containsExactlyInAnyOrder(7L, 300L);
      raw.puback(p.packetId());
      raw.subscribe(4, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 12), "sid/t", 0);
      RawClient.Packet retained = raw.expect(RawClient.PUBLISH);
      assertThat(retained.retain()).isTrue();
      assertThat(retained.props().integers(Props.SUBSCRIPTION_IDENTIFIER)).containsExactly(12L);
      pub.disconnect();
    }
  }

  @Test
  void subscriptionIdentifiers_hivemqClient_routesToMatchingSubscriptions() {
    // HiveMQ's client uses subscription identifiers itself when the server offers them.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5Connected(broker, "hive-subid");
      java.util.concurrent.BlockingQueue<String> a =
          new java.util.concurrent.LinkedBlockingQueue<>();
      java.util.concurrent.BlockingQueue<String> b =
          new java.util.concurrent.LinkedBlockingQueue<>();
      sub.toAsync()
          .subscribeWith()
          .topicFilter("hs/a/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> a.add(utf8(p.getPayloadAsBytes())))
          .send()
          .join();
      sub.toAsync()
          .subscribeWith()
          .topicFilter("hs/+/x")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> b.add(utf8(p.getPayloadAsBytes())))
          .send()
          .join();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("hs/a/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("both")).send();
      pub.publishWith().topic("hs/b/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("second")).send();
      try {
        assertThat(a.poll(5, TimeUnit.SECONDS)).isEqualTo("both");
        assertThat(b.poll(5, TimeUnit.SECONDS)).isEqualTo("both");
        assertThat(b.poll(5, TimeUnit.SECONDS)).isEqualTo("second");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscriptionIdentifiers_awsProfile_disconnectNotSupported() throws Exception {
    // AWS IoT has no subscription identifiers: CONNACK says so, and using one → DISCONNECT 0xA1
    // (CONNACK Subscription Identifiers Available = 0, MQTT 5 3.2.2.3.12).
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      RawClient.Packet ack = raw.connect(uniqueId("aws-subid"), true, 60);
      assertThat(ack.props().integer(Props.SUBSCRIPTION_IDENTIFIER_AVAILABLE)).isEqualTo(0L);
      raw.send(
          raw.subscribePacket(
              1, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 5), new String[] {"a/b"}, new int[] {1}));
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0xA1);
    }
  }

  @Test
  void noLocal_ownMessagesNotDeliveredOthersAre() {
    // [MQTT-3.8.3-3] No Local: messages are not forwarded to the connection that published them.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient self = hive5(broker, "self");
      Inbox<Mqtt5Publish> inbox = Inbox.of(self);
      self.connect();
      self.subscribeWith().topicFilter("nl/t").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
      self.publishWith().topic("nl/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("mine")).send();
      Mqtt5BlockingClient other = hive5Connected(broker, "other");
      other.publishWith().topic("nl/t").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("theirs")).send();
      assertThat(inbox.nextPayload()).isEqualTo("theirs");
      other.disconnect();
      self.disconnect();
    }
  }

  @Test
  void userProperties_awsProfileAbove8KB_refused() throws Exception {
    // AWS IoT: at most 8 KB of user properties per packet (reference limits table, unverified);
    // Pylon refuses the PUBLISH (PUBACK 0x83 with a reason string) and keeps the connection.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("big-props"), true, 60);
      raw.publish("bp/t", 1, 1, Props.none().user("k", "v".repeat(9000)), "x");
      RawClient.Packet ack = raw.expect(RawClient.PUBACK);
      assertThat(ack.reasonCode()).isEqualTo(0x83);
      raw.publish("bp/t", 1, 2, Props.none().user("k", "v".repeat(8000)), "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
    }
  }

  @Test
  void properties_paho5PublisherToPaho5Subscriber_allForwarded() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      org.eclipse.paho.mqttv5.client.MqttClient sub =
          io.pylon.mqtt.testing.Clients.paho5(broker, "p5-sub");
      Inbox<Inbox.Paho5Message> inbox = Inbox.of(sub);
      sub.connect(io.pylon.mqtt.testing.Clients.paho5Options(true));
      sub.subscribe("p5/t", 2);
      org.eclipse.paho.mqttv5.client.MqttClient pub =
          io.pylon.mqtt.testing.Clients.paho5(broker, "p5-pub");
      pub.connect(io.pylon.mqtt.testing.Clients.paho5Options(true));
      org.eclipse.paho.mqttv5.common.MqttMessage message =
          new org.eclipse.paho.mqttv5.common.MqttMessage(utf8("{\"on\":true}"));
      message.setQos(2);
      org.eclipse.paho.mqttv5.common.packet.MqttProperties props =
          new org.eclipse.paho.mqttv5.common.packet.MqttProperties();
      props.setContentType("application/json");
      props.setResponseTopic("p5/reply");
      props.setCorrelationData(utf8("c1"));
      props.setPayloadFormat(true);
      props.setMessageExpiryInterval(3600L);
      props.setUserProperties(
          List.of(new org.eclipse.paho.mqttv5.common.packet.UserProperty("k", "v")));
      message.setProperties(props);
      pub.publish("p5/t", message);
      Inbox.Paho5Message got = inbox.next();
      org.eclipse.paho.mqttv5.common.packet.MqttProperties p = got.message().getProperties();
      assertThat(got.message().getQos()).isEqualTo(2);
      assertThat(p.getContentType()).isEqualTo("application/json");
      assertThat(p.getResponseTopic()).isEqualTo("p5/reply");
      assertThat(utf8(p.getCorrelationData())).isEqualTo("c1");
      assertThat(p.getPayloadFormat()).isTrue();
      assertThat(p.getMessageExpiryInterval()).isBetween(3599L, 3600L);
      assertThat(p.getUserProperties())
          .extracting(u -> u.getKey() + "=" + u.getValue())
          .containsExactly("k=v");
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void subscriptionIdentifierZero_mqttProfile_disconnectProtocolError() throws Exception {
    // MQTT 5 3.8.2.1.2: a Subscription Identifier of 0 is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("subid0", true, 60);
      raw.send(
          raw.subscribePacket(
              1, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 0), new String[] {"a"}, new int[] {1}));
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).allSatisfy(p -> assertThat(p.type).isEqualTo(RawClient.DISCONNECT));
    }
  }

  @Test
  void subscriptionIdentifierInClientPublish_disconnectProtocolError() throws Exception {
    // [MQTT-3.3.4-6] a PUBLISH from a client must not contain a Subscription Identifier.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("pub-subid", true, 60);
      raw.publish("a/b", 1, 1, Props.of(Props.SUBSCRIPTION_IDENTIFIER, 3), "x");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.reasonCode()).containsExactly(0x82);
    }
  }
}
