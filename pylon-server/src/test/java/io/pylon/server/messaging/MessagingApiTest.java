package io.pylon.server.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.ForbiddenException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.RequestEntityTooLargeException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyDocument;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestRequest.Caller;
import io.pylon.http.rest.RestResponse;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.spi.BrokerListener;
import io.pylon.server.authorization.RestCallerPolicies;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagingApiTest {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.123Z");
  private static final Caller ADMIN = new Caller.SigV4("AKIA", "us-east-1");
  private static final Caller DEVICE = new Caller.Certificate("device-cert");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The device may publish to and read sensors/*, and retain nothing. */
  private static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:GetRetainedMessage"],
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/sensors/*"}
      ]}
      """;

  private final List<ApplicationMessage> published = new CopyOnWriteArrayList<>();
  private final SettableClock clock = new SettableClock();
  private final MqttBroker broker =
      new MqttBroker(
          BrokerOptions.permissive()
              .withClock(clock)
              .withListeners(
                  List.of(
                      new BrokerListener() {
                        @Override
                        public void onPublished(ApplicationMessage message) {
                          published.add(message);
                        }
                      })));
  private final MessagingApi api;

  MessagingApiTest() {
    broker.start();
    RestCallerPolicies policies =
        new RestCallerPolicies(
            ACCOUNT,
            id ->
                id.equals("device-cert")
                    ? Optional.of(
                        PolicyEvaluator.prepare(
                            List.of(new NamedPolicy("p", PolicyDocument.parse(DEVICE_POLICY))),
                            PolicyContext.EMPTY))
                    : Optional.empty());
    api = new MessagingApi(broker, policies);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void publish_goesThroughTheBrokerAsAServerMessage() {
    RestResponse response =
        api.publish(publish(ADMIN, "a/b", Map.of("qos", "1"), Map.of(), bytes("hello")));

    assertThat(response.status()).isEqualTo(200);
    assertThat(published).hasSize(1);
    ApplicationMessage message = published.get(0);
    assertThat(message.topic()).isEqualTo("a/b");
    assertThat(message.payload()).isEqualTo(bytes("hello"));
    assertThat(message.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
    assertThat(message.retain()).isFalse();
    assertThat(message.publisherClientId()).isNull();
    assertThat(message.properties().isEmpty()).isTrue();
    assertThat(broker.retained("a/b")).isNull();
  }

  @Test
  void publish_withMqtt5Members_carriesThemAsMessageProperties() {
    String userProperties =
        Base64.getEncoder()
            .encodeToString(bytes("[{\"deviceName\":\"alpha\"},{\"n\":\"1\"},{\"n\":\"2\"}]"));
    api.publish(
        publish(
            ADMIN,
            "a/b",
            Map.of(
                "contentType", "application/json",
                "responseTopic", "a/reply",
                "messageExpiry", "60"),
            Map.of(
                "x-amz-mqtt5-user-properties",
                userProperties,
                "x-amz-mqtt5-payload-format-indicator",
                "UTF8_DATA",
                "x-amz-mqtt5-correlation-data",
                Base64.getEncoder().encodeToString(bytes("req-7"))),
            bytes("{}")));

    ApplicationMessage message = published.get(0);
    assertThat(message.properties().userProperties())
        .containsExactly(
            new UserProperty("deviceName", "alpha"),
            new UserProperty("n", "1"),
            new UserProperty("n", "2"));
    assertThat(message.properties().payloadFormatIndicator()).isEqualTo(1);
    assertThat(message.properties().contentType()).isEqualTo("application/json");
    assertThat(message.properties().responseTopic()).isEqualTo("a/reply");
    assertThat(message.properties().correlationData()).isEqualTo(bytes("req-7"));
    assertThat(message.expiresAtMillis()).isEqualTo(NOW.toEpochMilli() + 60_000);
  }

  @Test
  void publish_userPropertiesAsAQuotedJsonString_areUnderstoodToo() {
    // What boto3 sends when given the array as a Python string: the string, JSON-encoded.
    String quoted = Base64.getEncoder().encodeToString(bytes("\"[{\\\"a\\\": \\\"1\\\"}]\""));
    api.publish(
        publish(ADMIN, "a/b", Map.of(), Map.of("x-amz-mqtt5-user-properties", quoted), bytes("x")));

    assertThat(published.get(0).properties().userProperties())
        .containsExactly(new UserProperty("a", "1"));
  }

  @Test
  void publish_declaredUtf8ButNot_isAnInvalidRequest() {
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(
                        ADMIN,
                        "a/b",
                        Map.of(),
                        Map.of("x-amz-mqtt5-payload-format-indicator", "UTF8_DATA"),
                        new byte[] {(byte) 0xC3, (byte) 0x28})))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("UTF-8");
    assertThat(published).isEmpty();
  }

  @Test
  void expiredRetainedMessage_isNeitherReturnedNorListed() throws Exception {
    api.publish(
        publish(
            ADMIN, "short", Map.of("retain", "true", "messageExpiry", "5"), Map.of(), bytes("x")));
    api.publish(publish(ADMIN, "long", Map.of("retain", "true"), Map.of(), bytes("y")));
    assertThat(api.getRetainedMessage(get(ADMIN, "short")).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(5));

    assertThatThrownBy(() -> api.getRetainedMessage(get(ADMIN, "short")))
        .isInstanceOf(ResourceNotFoundException.class);
    JsonNode listed = json(api.listRetainedMessages(list(ADMIN, Map.of())));
    assertThat(listed.path("retainedTopics")).hasSize(1);
    assertThat(listed.path("retainedTopics").get(0).path("topic").asText()).isEqualTo("long");
  }

  @Test
  void publish_messageExpiryBeyondSevenDays_isCappedAtSevenDays() {
    api.publish(publish(ADMIN, "a/b", Map.of("messageExpiry", "9999999"), Map.of(), bytes("x")));

    assertThat(published.get(0).expiresAtMillis()).isEqualTo(NOW.toEpochMilli() + 604_800_000L);
  }

  @Test
  void publish_invalidMembers_areInvalidRequests() {
    assertThatThrownBy(
            () -> api.publish(publish(ADMIN, "a/b", Map.of("qos", "2"), Map.of(), bytes("x"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("qos");
    assertThatThrownBy(() -> api.publish(publish(ADMIN, "a/+", Map.of(), Map.of(), bytes("x"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> api.publish(publish(ADMIN, "$SYS/x", Map.of(), Map.of(), bytes("x"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(
                        ADMIN,
                        "$aws/things/t/shadow/update",
                        Map.of("retain", "true"),
                        Map.of(),
                        bytes("{}"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cannot be retained");
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(
                        ADMIN,
                        "a/b",
                        Map.of(),
                        Map.of("x-amz-mqtt5-payload-format-indicator", "TEXT"),
                        bytes("x"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(
                        ADMIN,
                        "a/b",
                        Map.of(),
                        Map.of(
                            "x-amz-mqtt5-user-properties",
                            Base64.getEncoder().encodeToString(bytes("{\"a\":\"1\"}"))),
                        bytes("x"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("userProperties");
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(ADMIN, "a/b", Map.of("responseTopic", "a/#"), Map.of(), bytes("x"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("responseTopic");
    assertThat(published).isEmpty();
  }

  @Test
  void publish_toAnAwsReservedTopic_isRouted() {
    api.publish(publish(ADMIN, "$aws/things/t/shadow/update", Map.of(), Map.of(), bytes("{}")));

    assertThat(published)
        .extracting(ApplicationMessage::topic)
        .containsExactly("$aws/things/t/shadow/update");
  }

  @Test
  void publish_payloadOver128KB_isTooLarge() {
    byte[] limit = new byte[128 * 1024];
    api.publish(publish(ADMIN, "big", Map.of(), Map.of(), limit));

    assertThatThrownBy(
            () ->
                api.publish(publish(ADMIN, "big", Map.of(), Map.of(), new byte[limit.length + 1])))
        .isInstanceOf(RequestEntityTooLargeException.class);
    assertThat(published).hasSize(1);
  }

  @Test
  void retainedPublish_isReturnedByGetRetainedMessage_andEmptyPayloadClearsIt() throws Exception {
    String userProperties = Base64.getEncoder().encodeToString(bytes("[{\"a\":\"1\"}]"));
    api.publish(
        publish(
            ADMIN,
            "status/lamp",
            Map.of("retain", "true", "qos", "1"),
            Map.of("x-amz-mqtt5-user-properties", userProperties),
            bytes("on")));

    JsonNode output = json(api.getRetainedMessage(get(ADMIN, "status/lamp")));

    assertThat(output.path("topic").asText()).isEqualTo("status/lamp");
    assertThat(Base64.getDecoder().decode(output.path("payload").asText())).isEqualTo(bytes("on"));
    assertThat(output.path("qos").asInt()).isEqualTo(1);
    assertThat(output.path("lastModifiedTime").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(
            new String(
                Base64.getDecoder().decode(output.path("userProperties").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo("[{\"a\":\"1\"}]");

    api.publish(publish(ADMIN, "status/lamp", Map.of("retain", "true"), Map.of(), new byte[0]));

    assertThatThrownBy(() -> api.getRetainedMessage(get(ADMIN, "status/lamp")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("status/lamp");
  }

  @Test
  void getRetainedMessage_withoutUserProperties_omitsThem() throws Exception {
    api.publish(publish(ADMIN, "plain", Map.of("retain", "true"), Map.of(), bytes("x")));

    JsonNode output = json(api.getRetainedMessage(get(ADMIN, "plain")));

    assertThat(output.has("userProperties")).isFalse();
    assertThat(output.path("qos").asInt()).isZero();
  }

  @Test
  void listRetainedMessages_pagesInTopicOrder() throws Exception {
    for (String topic : List.of("c", "a", "b/1", "b/2", "d")) {
      api.publish(publish(ADMIN, topic, Map.of("retain", "true"), Map.of(), bytes("v-" + topic)));
    }
    List<String> topics = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Map<String, String> query = new HashMap<>(Map.of("maxResults", "2"));
      if (token != null) {
        query.put("nextToken", token);
      }
      JsonNode output = json(api.listRetainedMessages(list(ADMIN, query)));
      for (JsonNode item : output.path("retainedTopics")) {
        topics.add(item.path("topic").asText());
        assertThat(item.path("payloadSize").asLong())
            .isEqualTo(("v-" + item.path("topic").asText()).length());
        assertThat(item.path("qos").asInt()).isZero();
        assertThat(item.path("lastModifiedTime").asLong()).isEqualTo(NOW.toEpochMilli());
      }
      token = output.has("nextToken") ? output.path("nextToken").asText() : null;
      pages++;
    } while (token != null);

    assertThat(topics).containsExactly("a", "b/1", "b/2", "c", "d");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void listRetainedMessages_refusesMaxResultsOutsideTheModelRange() {
    assertThatThrownBy(() -> api.listRetainedMessages(list(ADMIN, Map.of("maxResults", "201"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> api.listRetainedMessages(list(ADMIN, Map.of("maxResults", "0"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void device_isHeldToItsPolicies() {
    api.publish(publish(DEVICE, "sensors/1", Map.of("qos", "1"), Map.of(), bytes("21.5")));
    assertThat(published).extracting(ApplicationMessage::topic).containsExactly("sensors/1");

    assertThatThrownBy(
            () -> api.publish(publish(DEVICE, "actuators/1", Map.of(), Map.of(), bytes("x"))))
        .isInstanceOf(ForbiddenException.class);
    // Retaining needs iot:RetainPublish as well.
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(DEVICE, "sensors/1", Map.of("retain", "true"), Map.of(), bytes("x"))))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("iot:RetainPublish");
    assertThatThrownBy(() -> api.listRetainedMessages(list(DEVICE, Map.of())))
        .isInstanceOf(ForbiddenException.class);
    api.publish(publish(ADMIN, "sensors/1", Map.of("retain", "true"), Map.of(), bytes("x")));
    assertThat(api.getRetainedMessage(get(DEVICE, "sensors/1")).status()).isEqualTo(200);
    assertThatThrownBy(() -> api.getRetainedMessage(get(DEVICE, "actuators/1")))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(
            () ->
                api.publish(
                    publish(
                        new Caller.Certificate("unknown"),
                        "sensors/1",
                        Map.of(),
                        Map.of(),
                        bytes("x"))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(published).hasSize(2);
  }

  private static RestRequest publish(
      Caller caller,
      String topic,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {
    return new RestRequest("Publish", caller, Map.of("topic", topic), query(query), headers, body);
  }

  private static RestRequest get(Caller caller, String topic) {
    return new RestRequest(
        "GetRetainedMessage", caller, Map.of("topic", topic), Map.of(), Map.of(), new byte[0]);
  }

  private static RestRequest list(Caller caller, Map<String, String> query) {
    return new RestRequest(
        "ListRetainedMessages", caller, Map.of(), query(query), Map.of(), new byte[0]);
  }

  private static Map<String, List<String>> query(Map<String, String> single) {
    Map<String, List<String>> query = new HashMap<>();
    single.forEach((k, v) -> query.put(k, List.of(v)));
    return query;
  }

  private static JsonNode json(RestResponse response) throws Exception {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
    return JSON.readTree(response.body());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A clock the test moves by hand. */
  private static final class SettableClock extends Clock {
    private volatile Instant now = NOW;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
