package io.pylon.server.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.shadow.MemoryShadowStore;
import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.domain.shadow.ShadowRecord;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.shadow.ShadowStore;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.spi.BrokerListener;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.spi.PublishOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShadowRequestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GET = "$aws/things/lamp/shadow/get";

  private final List<ApplicationMessage> answers = new CopyOnWriteArrayList<>();
  private final MqttBroker broker =
      new MqttBroker(
          BrokerOptions.permissive()
              .withListeners(
                  List.of(
                      new BrokerListener() {
                        @Override
                        public void onPublished(ApplicationMessage message) {
                          answers.add(message);
                        }
                      })));
  private final CountDownLatch release = new CountDownLatch(1);
  private final MemoryShadowStore memory = new MemoryShadowStore();
  private final ShadowRequests requests;

  ShadowRequestsTest() {
    broker.start();
    ShadowPublisher publisher = new ShadowPublisher(Clock.systemUTC());
    publisher.attach(broker);
    ShadowService shadows =
        new ShadowService(
            new HeldReads(memory, release), Clock.systemUTC(), new ShadowLimits(8192, 6, 0, 10));
    requests = new ShadowRequests(shadows, publisher);
  }

  @AfterEach
  void stop() {
    release.countDown();
    requests.close();
    broker.close();
  }

  @Test
  void requestsQueuedInALane_countAsInFlight_theEleventhIsRefusedOnArrival() throws Exception {
    memory.replace(
        Optional.empty(), new ShadowRecord(ShadowId.classic("lamp"), 1, "{\"state\":{}}", 1));

    // One request waits in the store, nine behind it in the lane: ten in flight, none answered.
    for (int i = 0; i < 10; i++) {
      publish(GET, "{\"clientToken\":\"g" + i + "\"}");
    }
    assertThat(answers).isEmpty();
    publish(GET, "{\"clientToken\":\"g10\"}");

    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).topic()).isEqualTo(GET + "/rejected");
    JsonNode refused = JSON.readTree(answers.get(0).payload());
    assertThat(refused.get("code").asInt()).isEqualTo(429);
    assertThat(refused.get("message").asText()).isEqualTo("Too many in-flight requests");
    assertThat(refused.get("clientToken").asText()).isEqualTo("g10");

    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(answers)
                    .filteredOn(a -> a.topic().equals(GET + "/accepted"))
                    .hasSize(10));
    publish(GET, "{\"clientToken\":\"again\"}");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(answers)
                    .filteredOn(a -> a.topic().equals(GET + "/accepted"))
                    .hasSize(11));
  }

  private void publish(String topic, String payload) {
    requests.onPublish(
        new ApplicationMessage(
            topic,
            payload.getBytes(StandardCharsets.UTF_8),
            Qos.AT_LEAST_ONCE,
            false,
            MessageProperties.NONE,
            0,
            null),
        new PublishOrigin("device", Principal.ANONYMOUS, null));
  }

  /** Holds every read until released. */
  private static final class HeldReads implements ShadowStore {
    private final ShadowStore delegate;
    private final CountDownLatch release;

    HeldReads(ShadowStore delegate, CountDownLatch release) {
      this.delegate = delegate;
      this.release = release;
    }

    @Override
    public Optional<ShadowRecord> find(ShadowId id) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return delegate.find(id);
    }

    @Override
    public boolean replace(Optional<ShadowRecord> expected, ShadowRecord next) {
      return delegate.replace(expected, next);
    }

    @Override
    public List<String> namedShadows(String thingName, Optional<String> afterName, int limit) {
      return delegate.namedShadows(thingName, afterName, limit);
    }
  }
}
