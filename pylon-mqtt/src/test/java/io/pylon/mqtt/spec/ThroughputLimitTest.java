package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * AWS IoT's throughput quota per connection: traffic beyond it is delayed, not dropped. The test
 * asserts a lower bound on the time a transfer takes, which a slow machine can only lengthen.
 */
class ThroughputLimitTest {

  @Test
  void throughput_beyondTheConnectionQuota_isDelayedNotDropped() throws Exception {
    int bytesPerSecond = 128 * 1024;
    int messages = 32;
    byte[] payload = new byte[16 * 1024];
    try (TestBroker broker =
        new TestBroker(
            Profile.AWS,
            BrokerOptions.permissive(),
            l -> l.set("max-bytes-per-second", Integer.toString(bytesPerSecond)))) {
      Mqtt5BlockingClient sub = hive5Connected(broker, "tp-sub");
      AtomicInteger received = new AtomicInteger();
      sub.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
      sub.subscribeWith().topicFilter("tp/t").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "tp-pub");

      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        pub.publishWith().topic("tp/t").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == messages);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // 512 KiB through a 128 KiB/s connection: about four seconds; allow for the first second's
      // burst and for accounting granularity.
      assertThat(took).isGreaterThan(Duration.ofSeconds(2));
      assertThat(received.get()).isEqualTo(messages);
      pub.disconnect();
      sub.disconnect();
    }
  }

  @Test
  void throughput_mqttProfile_isUnlimitedByDefault() {
    assertThat(Profile.MQTT.defaultLimits().maxBytesPerSecond()).isZero();
    assertThat(Profile.AWS.defaultLimits().maxBytesPerSecond()).isEqualTo(512 * 1024);
  }
}
