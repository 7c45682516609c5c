package io.pylon.server.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRulePayload;
import io.pylon.domain.rules.TopicRuleService;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.rules.TopicRulePayloadJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * {@code TestTopicRule} ({@code POST /pylon/rules/test}), a Pylon extension of the iot API: runs a
 * saved rule ({@code ruleName}) or a rule given inline ({@code topicRulePayload}) against a sample
 * {@code topic} and {@code payload} (or {@code payloadBase64}, optional {@code clientId}) with the
 * server's own state (shadows, destinations) and answers what {@link RuleDryRun} shows. Nothing is
 * sent.
 */
public final class TopicRuleDryRunApi implements RestApi {

  private final TopicRuleService rules;
  private final TopicRuleRuntime runtime;
  private final RuleCompiler compiler;
  private final Clock clock;

  public TopicRuleDryRunApi(
      TopicRuleService rules, TopicRuleRuntime runtime, RuleCompiler compiler, Clock clock) {
    this.rules = rules;
    this.runtime = runtime;
    this.compiler = compiler;
    this.clock = clock;
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "TestTopicRule", this::testTopicRule);
  }

  RestResponse testTopicRule(RestRequest request) {
    JsonNode body = request.json();
    String topic = text(body, "topic", true);
    byte[] payload;
    if (body.hasNonNull("payloadBase64")) {
      try {
        payload = Base64.getDecoder().decode(text(body, "payloadBase64", true));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("payloadBase64 is not base64: " + e.getMessage());
      }
    } else {
      payload = text(body, "payload", true).getBytes(StandardCharsets.UTF_8);
    }
    ActiveRule rule;
    if (body.hasNonNull("ruleName")) {
      rule = runtime.compile(rules.getTopicRule(text(body, "ruleName", true)));
    } else if (body.path("topicRulePayload").isObject()) {
      TopicRulePayload given = TopicRulePayloadJson.parse(body.get("topicRulePayload"));
      rule = compiler.compile("dry_run", given, given.awsIotSqlVersion().orElse(null));
    } else {
      throw new InvalidRequestException("Give ruleName or topicRulePayload");
    }
    IncomingMessage message =
        IncomingMessage.builder(topic, payload)
            .clientId(text(body, "clientId", false))
            .timestampMillis(clock.millis())
            .traceId(RuleEngine.newTraceId())
            .build();
    return RestResponse.json(RuleDryRun.run(rule, message));
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new InvalidRequestException(field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException(field + " must be a string");
    }
    return value.textValue();
  }
}
