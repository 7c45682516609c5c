package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTTS;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RoundTrip;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code shadow.*} configuration keys change what the Device Shadow service accepts. */
class ShadowLimitsIT {

  @RegisterExtension
  static final PylonServerExtension pylon =
      new PylonServerExtension()
          .with("shadow.max-state-bytes", "64")
          .with("shadow.max-depth", "2")
          .with("shadow.requests-per-second", "1");

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;
  private static Device device;

  /**
   * Created before any test connects: a policy attached just before connecting may reach the
   * connection's view of its policies only after the connection subscribed.
   */
  @BeforeAll
  static void setUp() {
    device = pylon.device("limits-device");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void configuredLimits_refuseWhatAwsValuesWouldAccept() throws Exception {
    Mqtt5AsyncClient client =
        Clients.hive5Tls(clientId("shadow-limits"), pylon.port(MQTTS), device, List.of());
    client.connect().get(TIMEOUT, TimeUnit.SECONDS);
    try {
      BlockingQueue<Mqtt5Publish> rejected = new LinkedBlockingQueue<>();
      client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, rejected::add);
      for (String thing : List.of("big", "deep", "slow")) {
        Mqtt5SubAck granted =
            client
                .subscribeWith()
                .topicFilter("$aws/things/" + thing + "/shadow/+/rejected")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(granted.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
      }

      // 100 bytes of state: far below AWS's 8 KB, above the configured 64.
      publish(client, "big", "{\"state\":{\"reported\":{\"s\":\"" + "x".repeat(100) + "\"}}}");
      JsonNode tooLarge = answer(rejected);
      assertThat(tooLarge.get("code").asInt()).isEqualTo(413);

      // Three levels: AWS allows six, the configuration two.
      publish(client, "deep", "{\"state\":{\"reported\":{\"a\":{\"b\":{\"c\":1}}}}}");
      JsonNode tooDeep = answer(rejected);
      assertThat(tooDeep.get("code").asInt()).isEqualTo(400);
      assertThat(tooDeep.get("message").asText())
          .isEqualTo("JSON contains too many levels of nesting; maximum is 2");

      // One request a second: of three in a row (well within two seconds) one at least is refused.
      int throttled = 0;
      for (int i = 0; i < 3; i++) {
        client
            .publish(
                Mqtt5Publish.builder()
                    .topic("$aws/things/slow/shadow/get")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .build())
            .get(TIMEOUT, TimeUnit.SECONDS);
        JsonNode answer = answer(rejected);
        if (answer.get("code").asInt() == 429) {
          assertThat(answer.get("message").asText()).isEqualTo("Rate limit exceeded");
          throttled++;
        } else {
          assertThat(answer.get("code").asInt()).isEqualTo(404);
        }
      }
      assertThat(throttled).isPositive();
    } finally {
      client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  private static void publish(Mqtt5AsyncClient client, String thing, String payload)
      throws Exception {
    client
        .publish(
            Mqtt5Publish.builder()
                .topic("$aws/things/" + thing + "/shadow/update")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .build())
        .get(TIMEOUT, TimeUnit.SECONDS);
  }

  private static JsonNode answer(BlockingQueue<Mqtt5Publish> rejected) throws Exception {
    Mqtt5Publish message = rejected.poll(TIMEOUT, TimeUnit.SECONDS);
    assertThat(message).as("a rejected answer").isNotNull();
    return JSON.readTree(message.getPayloadAsBytes());
  }
}
