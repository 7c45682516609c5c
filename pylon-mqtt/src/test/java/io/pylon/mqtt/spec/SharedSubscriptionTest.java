package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 5 4.8.2: shared subscriptions ($share/{ShareName}/{filter}), also offered to 3.1.1. */
class SharedSubscriptionTest {

  private static List<String> expected(int n) {
    return IntStream.range(0, n).mapToObj(i -> "s" + i).collect(Collectors.toList());
  }

  private static void publish(Mqtt5BlockingClient pub, String topic, int n) {
    for (int i = 0; i < n; i++) {
      pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("s" + i)).send();
    }
  }

  /** Reads from two inboxes until {@code total} messages arrived in all. */
  private static List<List<String>> collect(int total, Inbox<?> a, Inbox<?> b) {
    List<String> fromA = new ArrayList<>();
    List<String> fromB = new ArrayList<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (fromA.size() + fromB.size() < total && System.nanoTime() < deadline) {
      a.poll(java.time.Duration.ofMillis(20)).ifPresent(m -> fromA.add(payload(m)));
      b.poll(java.time.Duration.ofMillis(20)).ifPresent(m -> fromB.add(payload(m)));
    }
    return List.of(fromA, fromB);
  }

  private static String payload(Object m) {
    if (m instanceof Mqtt5Publish) {
      return utf8(((Mqtt5Publish) m).getPayloadAsBytes());
    }
    if (m instanceof Inbox.PahoMessage) {
      return ((Inbox.PahoMessage) m).payloadString();
    }
    return utf8(
        ((com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish) m).getPayloadAsBytes());
  }

  @Test
  void shared_twoMqtt5Members_eachMessageToExactlyOneMember() {
    // MQTT 5 4.8.2: each message matching a shared subscription goes to one session of the group.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient m1 = hive5(broker, "m1");
      Inbox<Mqtt5Publish> in1 = Inbox.of(m1);
      m1.connect();
      m1.subscribeWith().topicFilter("$share/g/sh/+").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient m2 = hive5(broker, "m2");
      Inbox<Mqtt5Publish> in2 = Inbox.of(m2);
      m2.connect();
      m2.subscribeWith().topicFilter("$share/g/sh/+").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "sh/t", 20);
      List<List<String>> got = collect(20, in1, in2);
      List<String> all = new ArrayList<>(got.get(0));
      all.addAll(got.get(1));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected(20));
      assertThat(got.get(0)).isNotEmpty();
      assertThat(got.get(1)).isNotEmpty();
      // Each member still sees its share in publish order.
      assertThat(got.get(0))
          .isSortedAccordingTo(
              (x, y) ->
                  Integer.compare(
                      Integer.parseInt(x.substring(1)), Integer.parseInt(y.substring(1))));
      pub.disconnect();
      m1.disconnect();
      m2.disconnect();
    }
  }

  @Test
  void shared_mqtt311PahoMembers_eachMessageToExactlyOneMember() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      MqttClient m1 = Clients.paho3(broker, uniqueId("p1"));
      Inbox<Inbox.PahoMessage> in1 = Inbox.of(m1);
      m1.connect(Clients.paho3Options(true));
      m1.subscribe("$share/workers/jobs/#", 1);
      MqttClient m2 = Clients.paho3(broker, uniqueId("p2"));
      Inbox<Inbox.PahoMessage> in2 = Inbox.of(m2);
      m2.connect(Clients.paho3Options(true));
      m2.subscribe("$share/workers/jobs/#", 1);
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      publish(pub, "jobs/1", 10);
      List<List<String>> got = collect(10, in1, in2);
      List<String> all = new ArrayList<>(got.get(0));
      all.addAll(got.get(1));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected(10));
      assertThat(got.get(0)).isNotEmpty();
      assertThat(got.get(1)).isNotEmpty();
      pub.disconnect();
      m1.disconnect();
      m1.close();
      m2.disconnect();
      m2.close();
    }
  }

  @Test
  void shared_twoGroupsAndPlainSubscriber_eachGroupAndSubscriberGetACopy() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient a = hive5(broker, "groupA");
      Inbox<Mqtt5Publish> inA = Inbox.of(a);
      a.connect();
      a.subscribeWith().topicFilter("$share/a/multi/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient b = hive5(broker, "groupB");
      Inbox<Mqtt5Publish> inB = Inbox.of(b);
      b.connect();
      b.subscribeWith().topicFilter("$share/b/multi/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient plain = hive5(broker, "plain");
      Inbox<Mqtt5Publish> inPlain = Inbox.of(plain);
      plain.connect();
      plain.subscribeWith().topicFilter("multi/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "multi/t", 3);
      assertThat(inA.nextPayloads(3)).containsExactlyElementsOf(expected(3));
      assertThat(inB.nextPayloads(3)).containsExactlyElementsOf(expected(3));
      assertThat(inPlain.nextPayloads(3)).containsExactlyElementsOf(expected(3));
      pub.disconnect();
      a.disconnect();
      b.disconnect();
      plain.disconnect();
    }
  }

  @Test
  void shared_memberLeaves_remainingMemberGetsEverything() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient m1 = hive5(broker, "stay");
      Inbox<Mqtt5Publish> in1 = Inbox.of(m1);
      m1.connect();
      m1.subscribeWith().topicFilter("$share/g/leave/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient m2 = hive5(broker, "go");
      m2.connect();
      m2.subscribeWith().topicFilter("$share/g/leave/t").qos(MqttQos.AT_LEAST_ONCE).send();
      m2.disconnect();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "leave/t", 6);
      assertThat(in1.nextPayloads(6)).containsExactlyElementsOf(expected(6));
      pub.disconnect();
      m1.disconnect();
    }
  }

  @Test
  void shared_unsubscribedMember_noLongerReceives() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient m1 = hive5(broker, "m1");
      Inbox<Mqtt5Publish> in1 = Inbox.of(m1);
      m1.connect();
      m1.subscribeWith().topicFilter("$share/g/u/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient m2 = hive5(broker, "m2");
      Inbox<Mqtt5Publish> in2 = Inbox.of(m2);
      m2.connect();
      m2.subscribeWith().topicFilter("$share/g/u/t").qos(MqttQos.AT_LEAST_ONCE).send();
      m2.subscribeWith().topicFilter("u/marker").qos(MqttQos.AT_LEAST_ONCE).send();
      m2.unsubscribeWith().topicFilter("$share/g/u/t").send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      publish(pub, "u/t", 4);
      pub.publishWith().topic("u/marker").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();
      assertThat(in1.nextPayloads(4)).containsExactlyElementsOf(expected(4));
      assertThat(in2.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      m1.disconnect();
      m2.disconnect();
    }
  }

  @Test
  void shared_noLocalOnSharedSubscription_disconnectProtocolError() throws Exception {
    // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("shared-nolocal", true, 60);
      raw.send(raw.subscribePacket(1, null, new String[] {"$share/g/x"}, new int[] {0x05}));
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isEqualTo(0x82);
    }
  }

  @Test
  void shared_invalidShareName_topicFilterInvalid() throws Exception {
    // [MQTT-4.8.2-1] [MQTT-4.8.2-2] ShareName: at least one character, no '/', '+' or '#'.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("shared-bad", true, 60);
      raw.send(
          raw.subscribePacket(
              1, null, new String[] {"$share/g+/x", "$share//x", "$share/g"}, new int[] {1, 1, 1}));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(0x8F, 0x8F, 0x8F);
    }
  }

  @Test
  void shared_qos2Group_mqttProfileDeliversExactlyOnce() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient m1 = hive5(broker, "q2a");
      Inbox<Mqtt5Publish> in1 = Inbox.of(m1);
      m1.connect();
      m1.subscribeWith().topicFilter("$share/q/q2/t").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5BlockingClient m2 = hive5(broker, "q2b");
      Inbox<Mqtt5Publish> in2 = Inbox.of(m2);
      m2.connect();
      m2.subscribeWith().topicFilter("$share/q/q2/t").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      for (int i = 0; i < 10; i++) {
        pub.publishWith().topic("q2/t").qos(MqttQos.EXACTLY_ONCE).payload(utf8("s" + i)).send();
      }
      List<List<String>> got = collect(10, in1, in2);
      List<String> all = new ArrayList<>(got.get(0));
      all.addAll(got.get(1));
      assertThat(all).containsExactlyInAnyOrderElementsOf(expected(10));
      pub.disconnect();
      m1.disconnect();
      m2.disconnect();
    }
  }
}
