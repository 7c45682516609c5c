package io.pylon.server.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.RequestEntityTooLargeException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.spi.PublishOrigin;
import io.pylon.mqtt.topic.TopicRules;
import io.pylon.server.authorization.RestCallerPolicies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Publish, GetRetainedMessage and ListRetainedMessages of iot-data.
 *
 * <p>Decisions: a REST publish is a server message (no publisher client id, so no subscriber's
 * no-local option excludes it) and goes through {@link MqttBroker#publish} like the server's own
 * messages: retained state, subscribers, listeners. Topics obey the AWS profile's rules (256 bytes,
 * 8 levels, only {@code $aws/...} among {@code $} topics), and a reserved topic cannot be retained.
 * Payloads are limited to AWS IoT's 128 KB. Expired retained messages are neither returned nor
 * listed.
 */
public final class MessagingApi implements RestApi {

  /** AWS IoT's message size limit, for REST publishes as for MQTT ones. */
  static final int MAX_PAYLOAD_BYTES = 128 * 1024;

  /**
   * ListRetainedMessages' {@code maxResults} range (the model's 1..200); the default is the max.
   */
  static final int MAX_RESULTS = 200;

  /** AWS IoT caps a message expiry interval at 7 days. */
  static final long MAX_EXPIRY_SECONDS = 604_800;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MqttBroker broker;
  private final RestCallerPolicies policies;
  private final TopicRules topics;

  public MessagingApi(MqttBroker broker, RestCallerPolicies policies) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.policies = Objects.requireNonNull(policies, "policies");
    BrokerLimits aws = BrokerLimits.aws();
    this.topics = new TopicRules(aws.maxTopicLength(), aws.maxTopicLevels(), false);
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot-data", "Publish", this::publish);
    operations.on("iot-data", "GetRetainedMessage", this::getRetainedMessage);
    operations.on("iot-data", "ListRetainedMessages", this::listRetainedMessages);
  }

  RestResponse publish(RestRequest request) {
    String topic = request.label("topic");
    boolean retain = request.queryBoolean("retain").orElse(false);
    policies.requireOnTopic(request.caller(), AuthorizationRequest.PUBLISH, topic);
    if (retain) {
      policies.requireOnTopic(request.caller(), AuthorizationRequest.RETAIN_PUBLISH, topic);
    }
    checkTopic("topic", topic);
    if (retain && topic.startsWith("$")) {
      throw new InvalidRequestException(
          "A message on the reserved topic " + topic + " cannot be retained");
    }
    int qos = request.queryInt("qos").orElse(0);
    if (qos != 0 && qos != 1) {
      throw new InvalidRequestException("qos must be 0 or 1, was " + qos);
    }
    byte[] payload = request.body();
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new RequestEntityTooLargeException(
          "The payload is "
              + payload.length
              + " bytes; a message may have at most "
              + MAX_PAYLOAD_BYTES);
    }
    long expiresAt = expiresAt(request);
    MessageProperties properties = properties(request);
    if (Integer.valueOf(1).equals(properties.payloadFormatIndicator()) && !isUtf8(payload)) {
      throw new InvalidRequestException(
          "payloadFormatIndicator is UTF8_DATA but the payload is not valid UTF-8");
    }
    ApplicationMessage message =
        new ApplicationMessage(topic, payload, Qos.of(qos), retain, properties, expiresAt, null);
    broker.publish(message, originOf(request.caller()));
    return RestResponse.empty();
  }

  RestResponse getRetainedMessage(RestRequest request) {
    String topic = request.label("topic");
    policies.requireOnTopic(request.caller(), AuthorizationRequest.GET_RETAINED_MESSAGE, topic);
    RetainedMessage retained = broker.retainedEntry(topic);
    if (retained == null || retained.message().isExpired(broker.nowMillis())) {
      throw new ResourceNotFoundException("No retained message exists on topic " + topic);
    }
    ApplicationMessage message = retained.message();
    ObjectNode output = RestJson.object();
    output.put("topic", message.topic());
    output.put("payload", Base64.getEncoder().encodeToString(message.payload()));
    output.put("qos", message.qos().value());
    output.put("lastModifiedTime", retained.storedAtMillis());
    List<UserProperty> userProperties = message.properties().userProperties();
    if (!userProperties.isEmpty()) {
      output.put(
          "userProperties", Base64.getEncoder().encodeToString(userPropertiesJson(userProperties)));
    }
    return RestResponse.json(output);
  }

  RestResponse listRetainedMessages(RestRequest request) {
    policies.require(request.caller(), AuthorizationRequest.LIST_RETAINED_MESSAGES, "*");
    int maxResults = request.queryInt("maxResults").orElse(MAX_RESULTS);
    if (maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new InvalidRequestException(
          "maxResults must be between 1 and " + MAX_RESULTS + ", was " + maxResults);
    }
    Optional<String> after = request.query("nextToken").map(MessagingApi::topicAfter);
    long now = broker.nowMillis();
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("retainedTopics");
    String last = null;
    boolean more = false;
    for (RetainedMessage retained : broker.retainedEntries()) {
      if (after.isPresent() && retained.topic().compareTo(after.get()) <= 0) {
        continue;
      }
      if (retained.message().isExpired(now)) {
        continue;
      }
      if (list.size() == maxResults) {
        more = true;
        break;
      }
      ObjectNode item = list.addObject();
      item.put("topic", retained.topic());
      item.put("payloadSize", retained.message().payload().length);
      item.put("qos", retained.message().qos().value());
      item.put("lastModifiedTime", retained.storedAtMillis());
      last = retained.topic();
    }
    if (more) {
      output.put("nextToken", token(last));
    }
    return RestResponse.json(output);
  }

  private void checkTopic(String member, String topic) {
    TopicRules.Verdict verdict = topics.checkTopicName(topic);
    switch (verdict) {
      case OK:
        return;
      case MALFORMED:
        throw new InvalidRequestException(
            member + " must be a non-empty topic name without wildcards, was '" + topic + "'");
      case TOO_LONG:
        throw new InvalidRequestException(member + " must be at most 256 bytes of UTF-8");
      case TOO_MANY_LEVELS:
        throw new InvalidRequestException(member + " must have at most 8 levels");
      case RESERVED:
        throw new InvalidRequestException(
            member + " " + topic + " is reserved; of the $ topics only $aws/... may be used");
      default:
        throw new IllegalStateException("unknown verdict " + verdict);
    }
  }

  /** The absolute expiry of {@code messageExpiry} seconds, clamped to 1..7 days as AWS IoT does. */
  private long expiresAt(RestRequest request) {
    Optional<String> raw = request.query("messageExpiry");
    if (raw.isEmpty()) {
      return 0;
    }
    long seconds;
    try {
      seconds = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(
          "messageExpiry must be an integer, was '" + raw.get() + "'");
    }
    if (seconds < 0) {
      throw new InvalidRequestException("messageExpiry must not be negative, was " + seconds);
    }
    long clamped = Math.min(Math.max(seconds, 1), MAX_EXPIRY_SECONDS);
    return broker.nowMillis() + clamped * 1000;
  }

  private MessageProperties properties(RestRequest request) {
    Integer format =
        request
            .header("x-amz-mqtt5-payload-format-indicator")
            .map(MessagingApi::payloadFormat)
            .orElse(null);
    Optional<String> contentType = request.query("contentType");
    Optional<String> responseTopic = request.query("responseTopic");
    responseTopic.ifPresent(t -> checkTopic("responseTopic", t));
    byte[] correlation =
        request
            .header("x-amz-mqtt5-correlation-data")
            .map(v -> base64("x-amz-mqtt5-correlation-data", v))
            .orElse(null);
    List<UserProperty> userProperties =
        request
            .header("x-amz-mqtt5-user-properties")
            .map(MessagingApi::userProperties)
            .orElse(List.of());
    MessageProperties properties =
        new MessageProperties(
            format,
            contentType.orElse(null),
            responseTopic.orElse(null),
            correlation,
            userProperties);
    return properties.isEmpty() ? MessageProperties.NONE : properties;
  }

  private static Integer payloadFormat(String value) {
    switch (value) {
      case "UNSPECIFIED_BYTES":
        return 0;
      case "UTF8_DATA":
        return 1;
      default:
        throw new InvalidRequestException(
            "payloadFormatIndicator must be UNSPECIFIED_BYTES or UTF8_DATA, was '" + value + "'");
    }
  }

  /**
   * The user properties header: base64 of a JSON array of objects, each holding one name and its
   * string value ({@code [{"a":"1"},{"b":"2"}]}); order and repeated names are kept. An object with
   * several members gives a property for each, in order.
   */
  static List<UserProperty> userProperties(String header) {
    String member = "userProperties";
    String text = header.trim();
    // SDKs send base64; a hand-written client may send the JSON itself.
    byte[] json =
        text.startsWith("[")
            ? text.getBytes(StandardCharsets.UTF_8)
            : base64("x-amz-mqtt5-user-properties", text);
    JsonNode array;
    try {
      array = JSON.readTree(json);
      if (array != null && array.isTextual()) {
        // boto3 given the array as a string serialises that string as JSON: the array, quoted.
        array = JSON.readTree(array.textValue());
      }
    } catch (IOException e) {
      throw new InvalidRequestException(member + " must be a JSON array of objects");
    }
    if (array == null || !array.isArray()) {
      throw new InvalidRequestException(member + " must be a JSON array of objects");
    }
    List<UserProperty> properties = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isObject()) {
        throw new InvalidRequestException(member + " must be a JSON array of objects");
      }
      var fields = item.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        if (!field.getValue().isTextual()) {
          throw new InvalidRequestException(
              member + " values must be strings; " + field.getKey() + " is not");
        }
        properties.add(new UserProperty(field.getKey(), field.getValue().textValue()));
      }
    }
    return properties;
  }

  /** User properties as the JSON array the API takes them in. */
  static byte[] userPropertiesJson(List<UserProperty> properties) {
    ArrayNode array = JSON.createArrayNode();
    for (UserProperty property : properties) {
      array.addObject().put(property.name(), property.value());
    }
    return array.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] base64(String member, String value) {
    try {
      return Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(member + " must be base64");
    }
  }

  /** Page tokens name the last topic returned; the next page starts after it. */
  private static String token(String lastTopic) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastTopic.getBytes(StandardCharsets.UTF_8));
  }

  private static String topicAfter(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("nextToken is not a token this service issued");
    }
  }

  /** Who rules see as the publisher: principal() is the access key or certificate id. */
  private static PublishOrigin originOf(RestRequest.Caller caller) {
    String name =
        caller instanceof RestRequest.Caller.Certificate certificate
            ? certificate.certificateId()
            : ((RestRequest.Caller.SigV4) caller).accessKeyId();
    return new PublishOrigin(null, () -> name, null);
  }
}
