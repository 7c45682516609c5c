package io.pylon.server.rules.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import io.pylon.domain.rules.sql.SubstitutionTemplate;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.topic.TopicRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * {@code republish}: publishes the rule's output into Pylon's own broker, where subscribers,
 * retained state and other rules see it like any server message.
 *
 * <p>As in AWS IoT, a topic written {@code $$aws/...} republishes to the reserved {@code $aws/...}
 * (a single {@code $} would start a substitution template). The role ARN is required by the API but
 * not used: Pylon has no IAM roles. Beyond AWS's model, {@code retain: true} is honoured when
 * present (AWS's CLI model does not carry it, so only raw REST callers can set it).
 */
public final class RepublishActionType implements RuleActionType {

  static final int MAX_USER_PROPERTIES = 100;
  private static final long MAX_EXPIRY_SECONDS = 7 * 24 * 3600;

  private final Consumer<ApplicationMessage> broker;
  private final TopicRules topics;
  private final Clock clock;

  /**
   * @param broker publishes a server message into the broker
   * @param topics the AWS profile's topic rules, to refuse topics devices could not use either
   */
  public RepublishActionType(Consumer<ApplicationMessage> broker, TopicRules topics, Clock clock) {
    this.broker = broker;
    this.topics = topics;
    this.clock = clock;
  }

  @Override
  public String key() {
    return "republish";
  }

  @Override
  public RuleAction prepare(ActionDefinition definition) {
    ActionConfig c = new ActionConfig(key(), definition);
    c.requiredText("roleArn");
    String topic = c.requiredText("topic");
    int qos = c.optionalInt("qos", 0, 0, 1);
    boolean retain = c.optionalBoolean("retain", false);
    Headers headers = Headers.of(c);
    SubstitutionTemplate topicTemplate = c.template(topic);
    if (topicTemplate.isConstant()) {
      String problem = topicProblem(unescape(topic));
      if (problem != null) {
        throw new InvalidRequestException(c.path("topic") + ": " + problem);
      }
    }
    return new Republish(topicTemplate, qos, retain, headers);
  }

  /** Turns the {@code $$} escape of reserved topics into {@code $}. */
  static String unescape(String topic) {
    return topic.startsWith("$$") ? topic.substring(1) : topic;
  }

  private String topicProblem(String topic) {
    if (topic.startsWith("$aws/rules/")) {
      return "a rule cannot republish to Basic Ingest topics ($aws/rules/...)";
    }
    return switch (topics.checkTopicName(topic)) {
      case OK -> null;
      case MALFORMED -> "'" + topic + "' is not a topic name (empty, or with + or #)";
      case TOO_LONG -> "'" + topic + "' is longer than 256 bytes";
      case TOO_MANY_LEVELS -> "'" + topic + "' has more than 8 levels";
      case RESERVED -> "'" + topic + "' is reserved; of the $ topics only $aws/... may be used";
    };
  }

  /** The MQTT 5 headers of a republish action, each a template. */
  private record Headers(
      SubstitutionTemplate payloadFormatIndicator,
      SubstitutionTemplate contentType,
      SubstitutionTemplate responseTopic,
      SubstitutionTemplate correlationData,
      SubstitutionTemplate messageExpiry,
      List<SubstitutionTemplate[]> userProperties) {

    static final Headers NONE = new Headers(null, null, null, null, null, List.of());

    static Headers of(ActionConfig c) {
      ObjectNode h = c.optionalObject("headers");
      if (h == null) {
        return NONE;
      }
      List<SubstitutionTemplate[]> userProperties = new ArrayList<>();
      JsonNode list = h.get("userProperties");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw new InvalidRequestException(c.path("headers.userProperties") + " must be a list");
        }
        if (list.size() > MAX_USER_PROPERTIES) {
          throw new InvalidRequestException(
              c.path("headers.userProperties") + " may hold at most " + MAX_USER_PROPERTIES);
        }
        for (JsonNode p : list) {
          if (!p.isObject() || !p.path("key").isTextual() || !p.path("value").isTextual()) {
            throw new InvalidRequestException(
                c.path("headers.userProperties") + " entries need string key and value");
          }
          userProperties.add(
              new SubstitutionTemplate[] {
                c.template(p.get("key").textValue()), c.template(p.get("value").textValue())
              });
        }
      }
      return new Headers(
          c.template(c.optionalText(h, "payloadFormatIndicator", "headers.")),
          c.template(c.optionalText(h, "contentType", "headers.")),
          c.template(c.optionalText(h, "responseTopic", "headers.")),
          c.template(c.optionalText(h, "correlationData", "headers.")),
          c.template(c.optionalText(h, "messageExpiry", "headers.")),
          List.copyOf(userProperties));
    }
  }

  private final class Republish implements RuleAction {

    private final SubstitutionTemplate topic;
    private final int qos;
    private final boolean retain;
    private final Headers headers;

    Republish(SubstitutionTemplate topic, int qos, boolean retain, Headers headers) {
      this.topic = topic;
      this.qos = qos;
      this.retain = retain;
      this.headers = headers;
    }

    @Override
    public String failedActionName() {
      return "RepublishAction";
    }

    @Override
    public String resource(ActionInvocation invocation) {
      return unescape(topic.render(invocation.message(), invocation.environment()));
    }

    @Override
    public CompletionStage<Void> execute(ActionInvocation invocation) {
      try {
        broker.accept(message(invocation));
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public ObjectNode preview(ActionInvocation invocation) {
      ApplicationMessage m = message(invocation);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("topic", m.topic());
      out.put("qos", m.qos().value());
      out.put("retain", m.retain());
      out.put("payloadBase64", Base64.getEncoder().encodeToString(m.payload()));
      MessageProperties p = m.properties();
      if (!p.isEmpty() || m.expiresAtMillis() != 0) {
        ObjectNode h = out.putObject("headers");
        if (p.payloadFormatIndicator() != null) {
          h.put(
              "payloadFormatIndicator",
              p.payloadFormatIndicator() == 1 ? "UTF8_DATA" : "UNSPECIFIED_BYTES");
        }
        if (p.contentType() != null) {
          h.put("contentType", p.contentType());
        }
        if (p.responseTopic() != null) {
          h.put("responseTopic", p.responseTopic());
        }
        if (p.correlationData() != null) {
          h.put("correlationData", Base64.getEncoder().encodeToString(p.correlationData()));
        }
        if (m.expiresAtMillis() != 0) {
          h.put("messageExpiry", m.remainingExpirySeconds(clock.millis()));
        }
        if (!p.userProperties().isEmpty()) {
          var list = h.putArray("userProperties");
          for (UserProperty u : p.userProperties()) {
            list.addObject().put("key", u.name()).put("value", u.value());
          }
        }
      }
      return out;
    }

    private ApplicationMessage message(ActionInvocation in) {
      String target = resource(in);
      String problem = topicProblem(target);
      if (problem != null) {
        throw new ActionFailedException("republish topic " + problem);
      }
      long expiresAt = 0;
      String expiry = render(headers.messageExpiry(), in);
      if (expiry != null && !expiry.isEmpty()) {
        long seconds;
        try {
          seconds = Long.parseLong(expiry.trim());
        } catch (NumberFormatException e) {
          throw new ActionFailedException("messageExpiry '" + expiry + "' is not a whole number");
        }
        if (seconds < 1) {
          throw new ActionFailedException("messageExpiry must be at least 1 second");
        }
        expiresAt = clock.millis() + Math.min(seconds, MAX_EXPIRY_SECONDS) * 1000;
      }
      return new ApplicationMessage(
          target, in.payload(), Qos.of(qos), retain, properties(in), expiresAt, null);
    }

    private MessageProperties properties(ActionInvocation in) {
      if (headers == Headers.NONE) {
        return MessageProperties.NONE;
      }
      Integer format = null;
      String indicator = render(headers.payloadFormatIndicator(), in);
      if (indicator != null && !indicator.isEmpty()) {
        format =
            switch (indicator) {
              case "UTF8_DATA" -> 1;
              case "UNSPECIFIED_BYTES" -> 0;
              default ->
                  throw new ActionFailedException(
                      "payloadFormatIndicator must be UTF8_DATA or UNSPECIFIED_BYTES, was '"
                          + indicator
                          + "'");
            };
      }
      byte[] correlation = null;
      String correlationText = render(headers.correlationData(), in);
      if (correlationText != null && !correlationText.isEmpty()) {
        try {
          correlation = Base64.getDecoder().decode(correlationText);
        } catch (IllegalArgumentException e) {
          throw new ActionFailedException("correlationData must be base64: " + e.getMessage());
        }
      }
      String responseTopic = emptyToNull(render(headers.responseTopic(), in));
      if (responseTopic != null && topics.checkTopicName(responseTopic) != TopicRules.Verdict.OK) {
        throw new ActionFailedException("responseTopic '" + responseTopic + "' is not a topic");
      }
      List<UserProperty> user = new ArrayList<>(headers.userProperties().size());
      for (SubstitutionTemplate[] p : headers.userProperties()) {
        user.add(new UserProperty(render(p[0], in), render(p[1], in)));
      }
      return new MessageProperties(
          format, emptyToNull(render(headers.contentType(), in)), responseTopic, correlation, user);
    }

    private String render(SubstitutionTemplate template, ActionInvocation in) {
      return template == null ? null : template.render(in.message(), in.environment());
    }

    private String emptyToNull(String s) {
      return s == null || s.isEmpty() ? null : s;
    }
  }
}
