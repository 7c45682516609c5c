package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5;
import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.Clients.uniqueId;
import static io.pylon.mqtt.testing.Clients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.Inbox;
import io.pylon.mqtt.testing.MutableClock;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * AWS IoT Core quotas and deviations enforced by the AWS profile (reference/limits.md, "Connections
 * and protocol" and "MQTT 5 specifics"), and the same inputs accepted by the MQTT profile.
 */
class LimitsAndProfileTest {

  private static String levels(int n) {
    StringBuilder sb = new StringBuilder("l0");
    for (int i = 1; i < n; i++) {
      sb.append("/l").append(i);
    }
    return sb.toString();
  }

  @Test
  void topicLength_aws256BytesAccepted257Refused() throws Exception {
    // Topic ≤ 256 UTF-8 bytes: PUBACK 0x90 beyond (MQTT 5), SUBACK 0x8F.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("len"), true, 60);
      String ok = "t/" + "a".repeat(254);
      String tooLong = ok + "b";
      raw.publish(ok, 1, 1, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish(tooLong, 1, 2, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isEqualTo(0x90);
      raw.send(raw.subscribePacket(3, null, new String[] {ok, tooLong}, new int[] {1, 1}));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(1, 0x8F);
      // Multi-byte characters count as bytes: 128 × 'é' (2 bytes) = 256 bytes, one more is 258.
      raw.publish("é".repeat(128), 1, 4, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish("é".repeat(129), 1, 5, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isEqualTo(0x90);
    }
  }

  @Test
  void topicLength_awsMqtt311TooLong_connectionClosed() throws Exception {
    // MQTT 3.1.1 cannot refuse a PUBLISH; AWS IoT disconnects the client.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect(uniqueId("len311"), true, 60);
      raw.publish("t/" + "a".repeat(300), 1, 1, "x");
      assertThat(raw.readUntilClosed()).isEmpty();
    }
  }

  @Test
  void topicLevels_aws8LevelsAccepted9Refused() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("levels"), true, 60);
      raw.publish(levels(8), 1, 1, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish(levels(9), 1, 2, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isEqualTo(0x90);
      raw.send(
          raw.subscribePacket(
              3, null, new String[] {levels(7) + "/#", levels(8) + "/#"}, new int[] {1, 1}));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(1, 0x8F);
    }
  }

  @Test
  void basicIngestPrefix_notCountedInLengthOrLevels() throws Exception {
    // $aws/rules/{rule}/ is not counted: 8 more levels and 256 more bytes are allowed after it.
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("ingest"), true, 60);
      raw.publish("$aws/rules/my_rule/" + levels(8), 1, 1, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish("$aws/rules/my_rule/" + "a".repeat(256), 1, 2, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish("$aws/rules/my_rule/" + levels(9), 1, 3, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isEqualTo(0x90);
    }
  }

  @Test
  void mqttProfile_longAndDeepTopicsAccepted() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.MQTT);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect("deep", true, 60);
      raw.publish(levels(40), 1, 1, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish("a".repeat(1000), 1, 2, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
      raw.publish("$SYS/custom", 1, 3, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
    }
  }

  @Test
  void dollarTopics_awsProfileOtherThanAws_refused() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("dollar"), true, 60);
      raw.publish("$SYS/x", 1, 1, "x");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isEqualTo(0x90);
      raw.publish("$aws/things/t/shadow/update", 1, 2, "{}");
      assertThat(raw.expect(RawClient.PUBACK).reasonCode()).isZero();
    }
  }

  @Test
  void filtersPerSubscribe_aws8Accepted9Refused() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("filters"), true, 60);
      String[] eight = new String[8];
      String[] nine = new String[9];
      int[] options = new int[9];
      for (int i = 0; i < 9; i++) {
        if (i < 8) {
          eight[i] = "f8/" + i;
        }
        nine[i] = "f9/" + i;
        options[i] = 1;
      }
      raw.send(raw.subscribePacket(1, null, eight, java.util.Arrays.copyOf(options, 8)));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsOnly(1).hasSize(8);
      raw.send(raw.subscribePacket(2, null, nine, options));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsOnly(0x97).hasSize(9);
    }
  }

  @Test
  void subscriptionsPerConnection_aws50Accepted51stRefused() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 5)) {
      raw.connect(uniqueId("subs"), true, 60);
      for (int i = 0; i < 50; i++) {
        assertThat(raw.subscribe(i + 1, null, "s/" + i, 1).codes()).containsExactly(1);
      }
      // Re-subscribing to an existing filter is a replacement, not a new subscription.
      assertThat(raw.subscribe(100, null, "s/0", 0).codes()).containsExactly(0);
      assertThat(raw.subscribe(101, null, "s/50", 1).codes()).containsExactly(0x97);
      // After an unsubscribe there is room again.
      raw.send(raw.unsubscribePacket(102, "s/1"));
      assertThat(raw.expect(RawClient.UNSUBACK).codes()).containsExactly(0);
      assertThat(raw.subscribe(103, null, "s/50", 1).codes()).containsExactly(1);
    }
  }

  @Test
  void subscriptionsPerConnection_awsMqtt311_refusedWithFailureCode() throws Exception {
    try (TestBroker broker =
            new TestBroker(
                Profile.AWS,
                io.pylon.mqtt.broker.BrokerOptions.permissive(),
                l -> l.set("max-subscriptions-per-connection", "2"));
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect(uniqueId("subs311"), true, 60);
      raw.send(raw.subscribePacket(1, null, new String[] {"a", "b", "c"}, new int[] {1, 1, 1}));
      assertThat(raw.expect(RawClient.SUBACK).codes()).containsExactly(1, 1, 0x80);
    }
  }

  @Test
  void publishRate_aws100PerSecondPerConnection_excessQos1GetsQuotaExceeded() throws Exception {
    // AWS IoT: 100 publishes per second per connection; excess QoS 1 → PUBACK 0x97 (MQTT 5).
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5AsyncClient pub = hive5(broker, uniqueId("rate")).toAsync();
      pub.connect().get(5, TimeUnit.SECONDS);
      List<CompletableFuture<?>> results = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        results.add(
            pub.publishWith()
                .topic("rate/t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("r" + i))
                .send());
      }
      int ok = 0;
      int throttled = 0;
      for (CompletableFuture<?> f : results) {
        try {
          f.get(10, TimeUnit.SECONDS);
          ok++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(Mqtt5PubAckException.class);
          assertThat(((Mqtt5PubAckException) e.getCause()).getMqttMessage().getReasonCode())
              .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
          throttled++;
        }
      }
      assertThat(ok + throttled).isEqualTo(250);
      assertThat(ok).isGreaterThanOrEqualTo(100);
      assertThat(throttled).isPositive();
      pub.disconnect().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void publishRate_awsMqtt311_excessQos1DiscardedWithoutPubAck() throws Exception {
    try (TestBroker broker = new TestBroker(Profile.AWS);
        RawClient raw = new RawClient(broker.port(), 4)) {
      raw.connect(uniqueId("rate311"), true, 60);
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      for (int i = 1; i <= 200; i++) {
        burst.writeBytes(raw.publishPacket("rate/t", 1, false, false, i, null, utf8("x")));
      }
      raw.send(burst.toByteArray());
      int acks = 0;
      RawClient.Packet p;
      // Acks have stopped once none arrives for two seconds (generous for a loaded machine).
      while ((p = raw.poll(Duration.ofSeconds(2))) != null) {
        assertThat(p.type).isEqualTo(RawClient.PUBACK);
        acks++;
      }
      assertThat(acks).isBetween(100, 199);
    }
  }

  @Test
  void payloadSize_awsAbove128KB_disconnectPacketTooLarge() throws Exception {
    // AWS IoT: 128 KB per packet; larger → DISCONNECT 0x95 (MQTT 5 3.2.2.3.6 Maximum Packet Size).
    try (TestBroker broker = new TestBroker(Profile.AWS)) {
      Mqtt5BlockingClient bystander = hive5(broker, uniqueId("bystander"));
      Inbox<Mqtt5Publish> inbox = Inbox.of(bystander);
      bystander.connect();
      bystander.subscribeWith().topicFilter("big/#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        raw.connect(uniqueId("big"), true, 60);
        raw.sendInBackground(
            raw.publishPacket("big/t", 1, false, false, 1, null, new byte[128 * 1024]));
        List<RawClient.Packet> packets = raw.readUntilClosed();
        assertThat(packets).extracting(p -> p.type).containsExactly(RawClient.DISCONNECT);
        assertThat(packets.get(0).reasonCode()).isEqualTo(0x95);
      }
      try (RawClient raw = new RawClient(broker.port(), 4)) {
        raw.connect(uniqueId("big311"), true, 60);
        raw.sendInBackground(
            raw.publishPacket("big/t", 1, false, false, 1, null, new byte[130 * 1024]));
        assertThat(raw.readUntilClosed()).isEmpty();
      }
      // Just under the limit is accepted and delivered.
      Mqtt5BlockingClient pub = hive5Connected(broker, uniqueId("pub"));
      pub.publishWith()
          .topic("big/ok")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[120 * 1024])
          .send();
      assertThat(inbox.next().getPayloadAsBytes()).hasSize(120 * 1024);
      pub.disconnect();
      bystander.disconnect();
    }
  }

  @Test
  void connectRate_awsSameClientIdAfterOneSecond_allowedWhenLimitOverridden() {
    // With min-seconds-between-connects 0 the AWS profile lets a client reconnect at once.
    try (TestBroker broker =
        new TestBroker(
            Profile.AWS,
            io.pylon.mqtt.broker.BrokerOptions.permissive(),
            l -> l.set("min-seconds-between-connects", "0"))) {
      Mqtt5BlockingClient c = hive5(broker, "reconnector");
      for (int i = 0; i < 3; i++) {
        c.connect();
        c.disconnect();
      }
    }
  }

  @Test
  void connectRate_refusedAttempt_doesNotPostponeTheNextAllowedOne() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestBroker broker =
        new TestBroker(
            Profile.AWS,
            io.pylon.mqtt.broker.BrokerOptions.permissive().withClock(clock),
            l -> l)) {
      String id = uniqueId("retrier");
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(raw.connect(id, true, 60).reasonCode()).isZero();
      }
      clock.advance(Duration.ofMillis(600));
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(raw.connect(id, true, 60).reasonCode()).isEqualTo(0x97);
      }
      clock.advance(Duration.ofMillis(600));
      // 1.2 s after the accepted CONNECT, 0.6 s after the refused one.
      try (RawClient raw = new RawClient(broker.port(), 5)) {
        assertThat(raw.connect(id, true, 60).reasonCode()).isZero();
      }
    }
  }
}
