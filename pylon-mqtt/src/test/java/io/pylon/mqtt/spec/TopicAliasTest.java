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
import io.pylon.mqtt.testing.Props;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT 5 3.3.2.3.4: topic aliases in both directions. */
class TopicAliasTest {

  @Test
  void alias_clientToServer_aliasReplacesTopicName() throws Exception {
    // [MQTT-3.3.2-12] a PUBLISH with a topic and an alias sets the mapping; later ones may send an
    // empty topic with the alias.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("alias/#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        RawClient.Packet ack = raw.connect(uniqueId("aliaser"), true, 60);
        assertThat(ack.props().integer(Props.TOPIC_ALIAS_MAXIMUM)).isEqualTo(8L);
        raw.publish("alias/long/topic", 1, 1, Props.of(Props.TOPIC_ALIAS, 3), "first");
        raw.expect(RawClient.PUBACK);
        raw.publish("", 1, 2, Props.of(Props.TOPIC_ALIAS, 3), "second");
        raw.expect(RawClient.PUBACK);
        // Re-mapping the alias to another topic.
        raw.publish("alias/other", 1, 3, Props.of(Props.TOPIC_ALIAS, 3), "third");
        raw.expect(RawClient.PUBACK);
        raw.publish("", 1, 4, Props.of(Props.TOPIC_ALIAS, 3), "fourth");
        raw.expect(RawClient.PUBACK);
      }
      List<String> topics = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        topics.add(inbox.next().getTopic().toString());
      }
      assertThat(topics)
          .containsExactly("alias/long/topic", "alias/long/topic", "alias/other", "alias/other");
      sub.disconnect();
    }
  }

  @Test
  void alias_clientAliasAboveMaximum_disconnectTopicAliasInvalid() throws Exception {
    // [MQTT-3.3.2-9] alias 0 or above the server's Topic Alias Maximum (AWS: 8): DISCONNECT 0x94.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      for (int alias : new int[] {9, 0}) {
        try (RawClient raw = new RawClient(broker.port(), 5)) {
          raw.connect(uniqueId("bad-alias"), true, 60);
          raw.publish("a/t", 1, 1, Props.of(Props.TOPIC_ALIAS, alias), "x");
          List<RawClient.Packet> packets = raw.readUntilClosed();
          assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
          assertThat(packets.get(0).reasonCode()).isEqualTo(0x94);
        }
      }
    }
  }

  @Test
  void alias_unknownAliasWithEmptyTopic_disconnectProtocolError() throws Exception {
    // MQTT 5 3.3.4: an alias without a mapping and an empty topic is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("unknown-alias", true, 60);
      raw.publish("", 1, 1, Props.of(Props.TOPIC_ALIAS, 2), "x");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.reasonCode()).containsExactly(0x82);
    }
  }

  @Test
  void alias_emptyTopicWithoutAlias_disconnectProtocolError() throws Exception {
    // MQTT 5 3.3.2.1: a zero-length topic name without a topic alias is a protocol error.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("empty-topic", true, 60);
      raw.publish("", 1, 1, "x");
      List<RawClient.Packet> packets = raw.readUntilClosed();
      assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
      assertThat(packets.get(0).reasonCode()).isIn(0x82, 0x81);
    }
  }

  @Test
  void alias_serverToClient_usedWhenClientAllowsThem() throws Exception {
    // [MQTT-3.3.2-11] the server uses aliases up to the client's Topic Alias Maximum: first use
    // carries name and alias, later uses an empty name and the alias; beyond the maximum, names.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("alias-receiver", true, 60, Props.of(Props.TOPIC_ALIAS_MAXIMUM, 2));
      raw.subscribe("out/#", 0);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      for (String t : new String[] {"out/a", "out/a", "out/b", "out/c", "out/b", "out/c"}) {
        pub.publishWith().topic(t).payload(utf8(t)).send();
      }
      RawClient.Packet p1 = raw.expect(RawClient.PUBLISH);
      RawClient.Packet p2 = raw.expect(RawClient.PUBLISH);
      RawClient.Packet p3 = raw.expect(RawClient.PUBLISH);
      RawClient.Packet p4 = raw.expect(RawClient.PUBLISH);
      RawClient.Packet p5 = raw.expect(RawClient.PUBLISH);
      RawClient.Packet p6 = raw.expect(RawClient.PUBLISH);
      assertThat(p1.topic()).isEqualTo("out/a");
      long aliasA = p1.props().integer(Props.TOPIC_ALIAS);
      assertThat(aliasA).isBetween(1L, 2L);
      assertThat(p2.topic()).isEmpty();
      assertThat(p2.props().integer(Props.TOPIC_ALIAS)).isEqualTo(aliasA);
      assertThat(p2.payloadString()).isEqualTo("out/a");
      assertThat(p3.topic()).isEqualTo("out/b");
      long aliasB = p3.props().integer(Props.TOPIC_ALIAS);
      assertThat(aliasB).isNotEqualTo(aliasA).isBetween(1L, 2L);
      // No third alias: out/c always goes by name.
      assertThat(p4.topic()).isEqualTo("out/c");
      assertThat(p4.props().has(Props.TOPIC_ALIAS)).isFalse();
      assertThat(p5.topic()).isEmpty();
      assertThat(p5.props().integer(Props.TOPIC_ALIAS)).isEqualTo(aliasB);
      assertThat(p6.topic()).isEqualTo("out/c");
      pub.disconnect();
    }
  }

  @Test
  void alias_serverToClient_neverUsedWithoutClientMaximum() throws Exception {
    // [MQTT-3.3.2-10] no aliases towards a client that did not announce a Topic Alias Maximum.
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("no-alias", true, 60);
      raw.subscribe("na/#", 0);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith().topic("na/a").payload(utf8("1")).send();
      pub.publishWith().topic("na/a").payload(utf8("2")).send();
      for (int i = 0; i < 2; i++) {
        RawClient.Packet p = raw.expect(RawClient.PUBLISH);
        assertThat(p.topic()).isEqualTo("na/a");
        assertThat(p.props().has(Props.TOPIC_ALIAS)).isFalse();
      }
      pub.disconnect();
    }
  }

  @Test
  void alias_hivemqClientAllowingAliases_receivesFullTopicNames() {
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("hive-alias"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connectWith().restrictions().topicAliasMaximum(4).applyRestrictions().send();
      sub.subscribeWith().topicFilter("ha/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      String[] topics = {"ha/1", "ha/2", "ha/1", "ha/3", "ha/4", "ha/5", "ha/6", "ha/1", "ha/6"};
      for (String t : topics) {
        pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(t)).send();
      }
      for (String t : topics) {
        Mqtt5Publish p = inbox.next();
        assertThat(p.getTopic().toString()).isEqualTo(t);
        assertThat(utf8(p.getPayloadAsBytes())).isEqualTo(t);
      }
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void alias_paho5ClientWithoutAliasMaximum_receivesFullTopicNames() throws Exception {
    // Paho MQTT 5 1.2.5 loses the topic of aliased incoming messages (eclipse-paho/paho.mqtt.java
    // issue 866), so Paho is exercised with its default Topic Alias Maximum of 0: the broker must
    // then never alias towards it [MQTT-3.3.2-10].
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      org.eclipse.paho.mqttv5.client.MqttClient sub = Clients.paho5(broker, "paho5-alias");
      Inbox<Inbox.Paho5Message> inbox = Inbox.of(sub);
      sub.connect(Clients.paho5Options(true));
      sub.subscribe("pa/#", 1);
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      String[] topics = {"pa/x", "pa/x", "pa/y", "pa/x"};
      for (String t : topics) {
        pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(t)).send();
      }
      for (String t : topics) {
        Inbox.Paho5Message m = inbox.next();
        assertThat(m.topic()).isEqualTo(t);
        assertThat(m.payloadString()).isEqualTo(t);
      }
      pub.disconnect();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void alias_paho5PublisherRepeatingTopic_deliveredWithFullTopic() throws Exception {
    // Paho MQTT 5 may map outgoing topics to aliases when the server allows them (AWS profile: 8).
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("pp/#").qos(MqttQos.AT_LEAST_ONCE).send();
      org.eclipse.paho.mqttv5.client.MqttClient pub = Clients.paho5(broker, uniqueId("paho5-pub"));
      pub.connect(Clients.paho5Options(true));
      for (int i = 0; i < 4; i++) {
        pub.publish("pp/repeated", utf8("r" + i), 1, false);
      }
      for (int i = 0; i < 4; i++) {
        Mqtt5Publish p = inbox.next();
        assertThat(p.getTopic().toString()).isEqualTo("pp/repeated");
        assertThat(utf8(p.getPayloadAsBytes())).isEqualTo("r" + i);
      }
      pub.disconnect();
      pub.close();
      sub.disconnect();
    }
  }
}
