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
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 4.7 (topic names and filters), 3.8-3.11 (SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK). */
class SubscribeTest {

  /**
   * Publishes each topic followed by an end marker and returns what the subscriber got before the
   * marker: no waiting for messages that should not come.
   */
  private static java.util.List<String> receivedTopics(
      Mqtt5BlockingClient pub, Inbox<Mqtt5Publish> inbox, String... topics) {
    for (String t : topics) {
      pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(t)).send();
    }
    pub.publishWith().topic("end").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("end")).send();
    java.util.List<String> got = new java.util.ArrayList<>();
    while (true) {
      Mqtt5Publish p = inbox.next();
      if (p.getTopic().toString().equals("end")) {
        return got;
      }
      got.add(p.getTopic().toString());
    }
  }

  @Test
  void subscribe_singleLevelWildcard_matchesExactlyOneLevel() {
    // [MQTT-4.7.1-3] '+' matches one whole level, including an empty one.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("a/+/c").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("end").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      assertThat(receivedTopics(pub, inbox, "a/b/c", "a/b/c/d", "a/c", "a//c", "x/b/c", "a/bb/c"))
          .containsExactly("a/b/c", "a//c", "a/bb/c");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscribe_multiLevelWildcard_matchesParentAndDescendants() {
    // [MQTT-4.7.1-2] "sport/#" also matches "sport".
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("sport/#").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("end").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      assertThat(
              receivedTopics(
                  pub,
                  inbox,
                  "sport",
                  "sport/tennis",
                  "sport/tennis/player1",
                  "sports",
                  "sport/",
                  "other/sport"))
          .containsExactly("sport", "sport/tennis", "sport/tennis/player1", "sport/");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscribe_leadingWildcards_doNotMatchDollarTopics() {
    // [MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with '$'.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("+/info").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      assertThat(receivedTopics(pub, inbox, "$SYS/info", "$SYS/x/y", "plain/info"))
          .containsExactly("plain/info");
      sub.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(receivedTopics(pub, inbox, "$SYS/info")).containsExactly("$SYS/info");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscribe_awsProfileLeadingWildcard_doesNotMatchAwsReservedTopics() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      assertThat(receivedTopics(pub, inbox, "$aws/things/t1/shadow/update", "dev/1"))
          .containsExactly("dev/1");
      sub.subscribeWith().topicFilter("$aws/things/+/shadow/#").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(receivedTopics(pub, inbox, "$aws/things/t1/shadow/update"))
          .containsExactly("$aws/things/t1/shadow/update");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscribe_invalidFilters_mqtt5FailureTopicFilterInvalid() throws Exception {
    // [MQTT-4.7.1-1] '#' last and alone; '+' alone in its level. Invalid filters fail in the
    // SUBACK.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("bad-filters", true, 60);
      raw.send(
          raw.subscribePacket(
              3,
              null,
              new String[] {"a/#/b", "a+", "ok/+", "#a", "$share/g/"},
              new int[] {1, 1, 1, 1, 1}));
      RawClient.Packet ack = raw.expect(RawClient.SUBACK);
      assertThat(ack.packetId()).isEqualTo(3);
      assertThat(ack.codes()).containsExactly(0x8F, 0x8F, 0x01, 0x8F, 0x8F);
    }
  }

  @Test
  void subscribe_invalidFilterMqtt311_failureReturnCode0x80() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect("bad-filters-311", true, 60);
      raw.send(raw.subscribePacket(4, null, new String[] {"ok/#", "bad/#/x"}, new int[] {2, 0}));
      // [MQTT-3.9.3-1] one return code per filter, in order.
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(2, 0x80);
    }
  }

  @Test
  void subscribe_multipleFilters_grantedQosPerFilterInOrder() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5Connected(broker, "multi");
      Mqtt5SubAck ack =
          sub.subscribeWith()
              .addSubscription()
              .topicFilter("m/0")
              .qos(MqttQos.AT_MOST_ONCE)
              .applySubscription()
              .addSubscription()
              .topicFilter("m/1")
              .qos(MqttQos.AT_LEAST_ONCE)
              .applySubscription()
              .addSubscription()
              .topicFilter("m/2")
              .qos(MqttQos.EXACTLY_ONCE)
              .applySubscription()
              .send();
      assertThat(ack.getReasonCodes())
          .containsExactly(
              Mqtt5SubAckReasonCode.GRANTED_QOS_0,
              Mqtt5SubAckReasonCode.GRANTED_QOS_1,
              Mqtt5SubAckReasonCode.GRANTED_QOS_2);
      sub.disconnect();
    }
  }

  @Test
  void subscribe_overlappingSubscriptions_oneCopyAtHighestQos() throws Exception {
    // MQTT 5 [MQTT-3.3.4-2]: overlapping subscriptions give one message at the highest granted QoS.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("overlap", true, 60);
      raw.subscribe(1, null, "ov/#", 0);
      raw.subscribe(2, null, "ov/+", 1);
      raw.subscribe(3, null, "other", 0);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("ov/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("one")).send();
      pub.publishWith().topic("other").qos(MqttQos.AT_MOST_ONCE).payload(utf8("marker")).send();
      RawClient.Packet first = raw.expect(RawClient.PUBLISH);
      assertThat(first.payloadString()).isEqualTo("one");
      assertThat(first.qos()).isEqualTo(1);
      raw.puback(first.packetId());
      RawClient.Packet next = raw.expect(RawClient.PUBLISH);
      assertThat(next.payloadString()).isEqualTo("marker");
      pub.disconnect();
    }
  }

  @Test
  void subscribe_sameFilterAgain_replacesSubscriptionOptions() {
    // [MQTT-3.8.4-3] a SUBSCRIBE for an existing filter replaces it.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("re/sub").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("re/sub").qos(MqttQos.AT_MOST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("re/sub").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("a")).send();
      pub.publishWith().topic("re/sub").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("b")).send();
      Mqtt5Publish a = inbox.next();
      Mqtt5Publish b = inbox.next();
      assertThat(utf8(a.getPayloadAsBytes()) + utf8(b.getPayloadAsBytes())).isEqualTo("ab");
      assertThat(a.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void unsubscribe_existingAndUnknownFilter_stopsDeliveryAndReportsNoSubscription() {
    // [MQTT-3.10.4-1..5] UNSUBACK per filter; MQTT 5 0x11 for a filter without subscription.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("un/a").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("end").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5UnsubAck ack =
          sub.unsubscribeWith().addTopicFilter("un/a").addTopicFilter("un/none").send();
      assertThat(ack.getReasonCodes())
          .containsExactly(
              Mqtt5UnsubAckReasonCode.SUCCESS, Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      assertThat(receivedTopics(pub, inbox, "un/a")).isEmpty();
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void unsubscribe_mqtt311_unsubAckAndNoMoreDelivery() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt3BlockingClient sub = hive3Connected(broker, "sub3");
      Inbox<Mqtt3Publish> inbox = Inbox.of(sub);
      Mqtt3SubAck ack = sub.subscribeWith().topicFilter("un3/+").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2);
      sub.subscribeWith().topicFilter("end").send();
      sub.unsubscribeWith().topicFilter("un3/+").send();
      Mqtt3BlockingClient pub = hive3Connected(broker, "pub3");
      pub.publishWith().topic("un3/x").payload(utf8("gone")).send();
      pub.publishWith().topic("end").payload(utf8("end")).send();
      assertThat(inbox.nextPayload()).isEqualTo("end");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void subscribe_paho311Wildcards_deliveredWithTopicNames() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      MqttClient sub = Clients.paho3(broker, uniqueId("paho-sub"));
      Inbox<Inbox.PahoMessage> inbox = Inbox.of(sub);
      sub.connect(Clients.paho3Options(true));
      sub.subscribe(new String[] {"dev/+/temp", "fleet/#"}, new int[] {1, 0});
      MqttClient pub = Clients.paho3Connected(broker, uniqueId("paho-pub"));
      pub.publish("dev/7/temp", utf8("21"), 1, false);
      pub.publish("fleet/a/b", utf8("f"), 1, false);
      Inbox.PahoMessage first = inbox.next();
      Inbox.PahoMessage second = inbox.next();
      assertThat(first.topic()).isEqualTo("dev/7/temp");
      assertThat(first.qos()).isEqualTo(1);
      assertThat(second.topic()).isEqualTo("fleet/a/b");
      assertThat(second.qos()).isEqualTo(0);
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void subscribe_awsProfileOtherDollarTopic_refused() throws Exception {
    // AWS IoT reserves '$' topics; only $aws/ ones may be used.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("dollar"), true, 60);
      raw.send(
          raw.subscribePacket(
              1,
              null,
              new String[] {"$SYS/#", "$aws/things/x/shadow/get/accepted"},
              new int[] {1, 1}));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(0x8F, 0x01);
    }
  }

  @Test
  void subscribe_rawSubAckPropertiesAndPacketId_echoed() throws Exception {
    // [MQTT-3.8.4-2] SUBACK has the packet identifier of the SUBSCRIBE.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("subid", true, 60);
      RawClient.Packet ack = raw.subscribe(4242, Props.none(), "x/y", 2);
      assertThat(ack.packetId()).isEqualTo(4242);
      assertThat(ack.codes()).containsExactly(2);
    }
  }
}
