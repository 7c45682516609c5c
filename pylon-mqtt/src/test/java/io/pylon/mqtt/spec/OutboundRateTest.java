package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.DropMetrics.dropped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.testing.MutableClock;
import io.pylon.mqtt.testing.RawClient;
import io.pylon.mqtt.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * AWS IoT counts inbound and outbound publishes of a connection against one rate, and gives up on
 * an unacknowledged QoS 1 message after an hour. Pylon paces outbound QoS 1/2 at the rate instead
 * of discarding them, which also paces the replay of a persistent session's stored messages.
 */
class OutboundRateTest {

  private static final int RATE = 10;

  private static ApplicationMessage message(String topic, int qos, int i) {
    return new ApplicationMessage(
        topic,
        ("m" + i).getBytes(StandardCharsets.UTF_8),
        Qos.of(qos),
        false,
        MessageProperties.NONE,
        0,
        null);
  }

  @Test
  void outboundQos1_beyondThePublishRate_isPacedNotDropped() throws Exception {
    int messages = 3 * RATE;
    try (TestBroker broker =
            new TestBroker(
                Profile.AWS,
                BrokerOptions.permissive(),
                l -> l.set("max-publishes-per-second", Integer.toString(RATE)));
        RawClient sub = new RawClient(broker.port(), 5)) {
      sub.connect("rate-sub", true, 60);
      sub.subscribe("rate/out", 1);
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        broker.broker().publish(message("rate/out", 1, i));
      }
      List<String> received = new ArrayList<>();
      while (received.size() < messages) {
        RawClient.Packet p = sub.expect(RawClient.PUBLISH);
        received.add(p.payloadString());
        sub.puback(p.packetId());
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // In order and complete; the first second's burst is RATE messages, the other 2 * RATE need
      // at least (2 * RATE - 1) / RATE seconds more. A slow machine can only lengthen it.
      assertThat(received).containsExactlyElementsOf(expected(messages));
      assertThat(took).isGreaterThan(Duration.ofMillis(1800));
    }
  }

  @Test
  void outboundQos0_beyondThePublishRate_isDroppedAndCounted() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int messages = 5 * RATE;
    try (TestBroker broker =
            new TestBroker(
                Profile.AWS,
                BrokerOptions.permissive().withMeters(meters),
                l -> l.set("max-publishes-per-second", Integer.toString(RATE)));
        RawClient sub = new RawClient(broker.port(), 5)) {
      sub.connect("rate-sub0", true, 60);
      sub.subscribe("rate/out0", 0);
      for (int i = 0; i < messages; i++) {
        broker.broker().publish(message("rate/out0", 0, i));
      }
      AtomicInteger received = new AtomicInteger();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                while (sub.poll(Duration.ofMillis(50)) != null) {
                  received.incrementAndGet();
                }
                return received.get() + dropped(meters, "rate_limited") == messages;
              });
      assertThat(dropped(meters, "rate_limited")).isPositive();
      assertThat(received.get()).isBetween(RATE, messages - 1);
    }
  }

  @Test
  void unacknowledgedQos1_olderThanTheRedeliveryWindow_isNotResent() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MutableClock clock = new MutableClock();
    try (TestBroker broker =
        new TestBroker(
            Profile.AWS,
            BrokerOptions.permissive().withMeters(meters).withClock(clock),
            l -> l.set("redelivery-window-seconds", "60"))) {
      try (RawClient sub = new RawClient(broker.port(), 4)) {
        sub.connect("window", false, 60);
        sub.subscribe("window/t", 1);
        broker.broker().publish(message("window/t", 1, 1));
        broker.broker().publish(message("window/t", 1, 2));
        assertThat(sub.expect(RawClient.PUBLISH).payloadString()).isEqualTo("m1");
        assertThat(sub.expect(RawClient.PUBLISH).payloadString()).isEqualTo("m2");
        // Neither is acknowledged.
      }
      clock.advance(Duration.ofSeconds(30));
      try (RawClient sub = new RawClient(broker.port(), 4)) {
        // Within the window: resent with DUP [MQTT-4.4.0-1].
        assertThat(sub.connect("window", false, 60).sessionPresent()).isTrue();
        RawClient.Packet resent = sub.expect(RawClient.PUBLISH);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.payloadString()).isEqualTo("m1");
        sub.puback(resent.packetId());
        assertThat(sub.expect(RawClient.PUBLISH).payloadString()).isEqualTo("m2");
      }
      clock.advance(Duration.ofSeconds(31));
      try (RawClient sub = new RawClient(broker.port(), 4)) {
        // m2 was first sent 61 s ago: given up on, not resent.
        assertThat(sub.connect("window", false, 60).sessionPresent()).isTrue();
        broker.broker().publish(message("window/t", 1, 3));
        assertThat(sub.expect(RawClient.PUBLISH).payloadString()).isEqualTo("m3");
        assertThat(dropped(meters, "redelivery_window")).isEqualTo(1);
      }
    }
  }

  @Test
  void redeliveryWindow_profiles() {
    assertThat(Profile.AWS.defaultLimits().redeliveryWindowSeconds()).isEqualTo(3600);
    assertThat(Profile.MQTT.defaultLimits().redeliveryWindowSeconds()).isZero();
  }

  private static List<String> expected(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add("m" + i);
    }
    return list;
  }
}
