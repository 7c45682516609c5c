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
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.MemoryBrokerStore;
import io.pylon.mqtt.testing.Clients;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.MutableClock;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/** MQTT 3.3.1.3 (RETAIN), MQTT 5 3.8.3.1 (retain handling, retain as published). */
class RetainedTest {

  private static void retain(Mqtt5BlockingClient pub, String topic, String payload, MqttQos qos) {
    pub.publishWith().topic(topic).qos(qos).retain(true).payload(utf8(payload)).send();
  }

  /** Publishes a non-retained marker; messages before it arrived first. */
  private static void marker(Mqtt5BlockingClient pub, String topic) {
    pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();
  }

  @Test
  void retained_setThenSubscribe_deliveredWithRetainFlag() {
    // [MQTT-3.3.1-5] stored; [MQTT-3.3.1-9] sent on subscribe (retain handling 0) with RETAIN set.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "ret/a", "kept", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("ret/a").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish m = inbox.next();
      assertThat(utf8(m.getPayloadAsBytes())).isEqualTo("kept");
      assertThat(m.isRetain()).isTrue();
      assertThat(m.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(broker.broker().retained("ret/a")).isNotNull();
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_publishedTwice_onlyLatestKept() {
    // [MQTT-3.3.1-5] a new retained message replaces the previous one of the topic.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "ret/r", "first", MqttQos.AT_LEAST_ONCE);
      retain(pub, "ret/r", "second", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("ret/r").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "ret/r");
      assertThat(inbox.nextPayloads(2)).containsExactly("second", "marker");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_emptyPayload_clearsRetainedMessageAndIsForwarded() {
    // [MQTT-3.3.1-6] [MQTT-3.3.1-7] a zero-length retained payload removes the retained message and
    // is not stored; current subscribers still receive it.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "ret/c", "soon gone", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient live = hive5(broker, "live");
      Inbox<Mqtt5Publish> liveInbox = Inbox.of(live);
      live.connect();
      live.subscribeWith().topicFilter("ret/c").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(liveInbox.nextPayload()).isEqualTo("soon gone");
      pub.publishWith().topic("ret/c").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
      assertThat(liveInbox.next().getPayloadAsBytes()).isEmpty();
      assertThat(broker.broker().retained("ret/c")).isNull();
      Mqtt5BlockingClient late = hive5(broker, "late");
      Inbox<Mqtt5Publish> lateInbox = Inbox.of(late);
      late.connect();
      late.subscribeWith().topicFilter("ret/c").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "ret/c");
      assertThat(lateInbox.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      live.disconnect();
      late.disconnect();
    }
  }

  @Test
  void retained_forwardedToEstablishedSubscription_retainFlagCleared() {
    // 3.1.1 [MQTT-3.3.1-9] and MQTT 5 [MQTT-3.3.1-12]: RETAIN 0 when forwarded to a subscription
    // that existed before the publish (retain as published not set).
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub5 = hive5(broker, "sub5");
      Inbox<Mqtt5Publish> inbox5 = Inbox.of(sub5);
      sub5.connect();
      sub5.subscribeWith().topicFilter("ret/f").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt3BlockingClient sub3 = hive3Connected(broker, "sub3");
      Inbox<Mqtt3Publish> inbox3 = Inbox.of(sub3);
      sub3.subscribeWith().topicFilter("ret/f").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "ret/f", "live", MqttQos.AT_LEAST_ONCE);
      assertThat(inbox5.next().isRetain()).isFalse();
      assertThat(inbox3.next().isRetain()).isFalse();
      pub.disconnect();
      sub5.disconnect();
      sub3.disconnect();
    }
  }

  @Test
  void retained_retainAsPublished_keepsRetainFlagOnForward() {
    // [MQTT-3.3.1-13] retain as published: RETAIN as the publisher set it.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith()
          .topicFilter("ret/rap")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainAsPublished(true)
          .send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "ret/rap", "r", MqttQos.AT_LEAST_ONCE);
      pub.publishWith().topic("ret/rap").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("n")).send();
      Mqtt5Publish r = inbox.next();
      Mqtt5Publish n = inbox.next();
      assertThat(r.isRetain()).isTrue();
      assertThat(n.isRetain()).isFalse();
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retainHandling_0_1_2_sentAlwaysOnlyIfNewNever() {
    // [MQTT-3.3.1-9] 0: at every subscribe; [MQTT-3.3.1-10] 1: only if the subscription did not
    // exist; [MQTT-3.3.1-11] 2: never.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "rh/t", "R", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      subscribe(sub, "rh/t", Mqtt5RetainHandling.SEND);
      subscribe(sub, "rh/t", Mqtt5RetainHandling.SEND);
      marker(pub, "rh/t");
      assertThat(inbox.nextPayloads(3)).containsExactly("R", "R", "marker");

      Mqtt5BlockingClient sub1 = hive5(broker, "sub1");
      Inbox<Mqtt5Publish> inbox1 = Inbox.of(sub1);
      sub1.connect();
      subscribe(sub1, "rh/t", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
      subscribe(sub1, "rh/t", Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
      marker(pub, "rh/t");
      assertThat(inbox1.nextPayloads(2)).containsExactly("R", "marker");

      Mqtt5BlockingClient sub2 = hive5(broker, "sub2");
      Inbox<Mqtt5Publish> inbox2 = Inbox.of(sub2);
      sub2.connect();
      subscribe(sub2, "rh/t", Mqtt5RetainHandling.DO_NOT_SEND);
      marker(pub, "rh/t");
      assertThat(inbox2.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      sub.disconnect();
      sub1.disconnect();
      sub2.disconnect();
    }
  }

  private static void subscribe(
      Mqtt5BlockingClient c, String filter, Mqtt5RetainHandling handling) {
    c.subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(handling)
        .send();
  }

  @Test
  void retained_wildcardFilterMqttProfile_everyMatchingRetainedMessageSent() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "w/1", "one", MqttQos.AT_LEAST_ONCE);
      retain(pub, "w/2", "two", MqttQos.AT_LEAST_ONCE);
      retain(pub, "w/2/deep", "deep", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("w/+").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "w/marker");
      assertThat(inbox.nextPayloads(3)).containsExactlyInAnyOrder("one", "two", "marker");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_awsProfileWildcardFilter_notSentButExactFilterIs() {
    // AWS IoT sends retained messages on subscribe only for filters without wildcards.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      retain(pub, "aws/ret/x", "X", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, uniqueId("sub"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("aws/ret/#").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "aws/ret/marker");
      assertThat(inbox.nextPayload()).isEqualTo("marker");
      sub.subscribeWith().topicFilter("aws/ret/x").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish m = inbox.next();
      assertThat(utf8(m.getPayloadAsBytes())).isEqualTo("X");
      assertThat(m.isRetain()).isTrue();
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_grantedQosLower_deliveredAtLowerQos() {
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "rq/1", "q1", MqttQos.AT_LEAST_ONCE);
      retain(pub, "rq/0", "q0", MqttQos.AT_MOST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("rq/1").qos(MqttQos.AT_MOST_ONCE).send();
      assertThat(inbox.next().getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      sub.subscribeWith().topicFilter("rq/0").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(inbox.next().getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_messageExpired_notSentOnSubscribe() {
    // MQTT 5 3.3.2.3.3: a retained message whose expiry interval passed is not sent.
    MutableClock clock = new MutableClock();
    BrokerOptions options = BrokerOptions.permissive().withClock(clock);
    try (TestBroker broker = new TestBroker(Profile.MQTT, options, UnaryOperator.identity())) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      pub.publishWith()
          .topic("rx/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .messageExpiryInterval(10)
          .payload(utf8("expiring"))
          .send();
      clock.advance(Duration.ofSeconds(4));
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("rx/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish m = inbox.next();
      // [MQTT-3.3.2-6] the remaining lifetime is forwarded.
      assertThat(m.getMessageExpiryInterval()).hasValue(6);
      clock.advance(Duration.ofSeconds(7));
      Mqtt5BlockingClient late = hive5(broker, "late");
      Inbox<Mqtt5Publish> lateInbox = Inbox.of(late);
      late.connect();
      late.subscribeWith().topicFilter("rx/t").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "rx/t");
      assertThat(lateInbox.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      sub.disconnect();
      late.disconnect();
    }
  }

  @Test
  void retained_sharedSubscription_notSent() {
    // MQTT 5 3.8.3.1 / 4.8.2: retained messages are not sent for shared subscriptions.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "rs/t", "R", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("$share/g/rs/t").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "rs/t");
      assertThat(inbox.nextPayload()).isEqualTo("marker");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_paho311_retainedFlagOnSubscribe() throws Exception {
    // 3.1.1 [MQTT-3.3.1-8] RETAIN set when sent because of a new subscription.
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      MqttClient pub = Clients.paho3Connected(broker, uniqueId("paho-pub"));
      pub.publish("paho/ret", utf8("state"), 1, true);
      MqttClient sub = Clients.paho3(broker, uniqueId("paho-sub"));
      Inbox<Inbox.PahoMessage> inbox = Inbox.of(sub);
      sub.connect(Clients.paho3Options(true));
      sub.subscribe("paho/ret", 1);
      Inbox.PahoMessage m = inbox.next();
      assertThat(m.retained()).isTrue();
      assertThat(m.payloadString()).isEqualTo("state");
      // Clearing with an empty retained payload.
      pub.publish("paho/ret", new byte[0], 1, true);
      assertThat(inbox.next().payload()).isEmpty();
      assertThat(broker.broker().retained("paho/ret")).isNull();
      pub.disconnect();
      pub.close();
      sub.disconnect();
      sub.close();
    }
  }

  @Test
  void retained_dollarTopic_notSentForLeadingWildcardFilter() {
    // [MQTT-4.7.2-1] also for retained messages: '#' does not match '$SYS/...'.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      retain(pub, "$SYS/uptime", "42", MqttQos.AT_LEAST_ONCE);
      retain(pub, "plain/retained", "plain", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      marker(pub, "zz/marker");
      assertThat(inbox.nextPayloads(2)).containsExactly("plain", "marker");
      sub.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(inbox.nextPayload()).isEqualTo("42");
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retained_livePublishAfterSubAck_arrivesAfterRetainedMessage() {
    // The retained message is the state before the subscription; a message published after the
    // client saw the SUBACK is newer and must not be overtaken by the older retained value.
    try (TestBroker broker = new TestBroker(Profile.MQTT)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      Mqtt5BlockingClient sub = hive5(broker, "sub");
      Inbox<Mqtt5Publish> inbox = Inbox.of(sub);
      sub.connect();
      for (int i = 0; i < 40; i++) {
        String topic = "order/" + i;
        retain(pub, topic, "old" + i, MqttQos.AT_LEAST_ONCE);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(utf8("new" + i)).send();
        assertThat(inbox.nextPayloads(2)).containsExactly("old" + i, "new" + i);
      }
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void retainedEntry_keepsTheTimeItWasStored_acrossReplaceAndRestart() {
    MutableClock clock = new MutableClock();
    MemoryBrokerStore store = new MemoryBrokerStore();
    BrokerOptions options = BrokerOptions.permissive().withClock(clock).withStore(store);
    long firstStored;
    long replacedAt;
    try (TestBroker broker = new TestBroker(Profile.MQTT, options, UnaryOperator.identity())) {
      broker.broker().publish(serverMessage("time/a", "one"));
      firstStored = broker.broker().retainedEntry("time/a").storedAtMillis();
      assertThat(firstStored).isEqualTo(clock.millis());

      clock.advance(Duration.ofSeconds(30));
      broker.broker().publish(serverMessage("time/a", "two"));
      replacedAt = broker.broker().retainedEntry("time/a").storedAtMillis();
      assertThat(replacedAt).isEqualTo(firstStored + 30_000);
      assertThat(broker.broker().retainedEntries())
          .extracting(RetainedMessage::storedAtMillis)
          .containsExactly(replacedAt);
    }
    clock.advance(Duration.ofSeconds(30));
    try (TestBroker restarted = new TestBroker(Profile.MQTT, options, UnaryOperator.identity())) {
      RetainedMessage recovered = restarted.broker().retainedEntry("time/a");
      assertThat(utf8(recovered.message().payload())).isEqualTo("two");
      assertThat(recovered.storedAtMillis()).isEqualTo(replacedAt);
    }
  }

  private static ApplicationMessage serverMessage(String topic, String payload) {
    return new ApplicationMessage(
        topic, utf8(payload), Qos.AT_LEAST_ONCE, true, MessageProperties.NONE, 0, null);
  }
}
