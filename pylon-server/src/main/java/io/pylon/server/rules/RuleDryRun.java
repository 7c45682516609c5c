package io.pylon.server.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Evaluates a rule against a sample message and shows what it would do, sending nothing: the SELECT
 * output and, per action, the request it would make with its templates rendered. Behind the {@code
 * TestTopicRule} REST extension and {@code pylon rules test}.
 */
public final class RuleDryRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RuleDryRun() {}

  /**
   * The outcome as JSON: {@code matched}, {@code output} (JSON) or {@code outputBase64} (binary),
   * {@code actions[]} with each one's {@code action}, {@code resource} and rendered {@code
   * request}, or {@code error} when evaluation or rendering failed.
   */
  public static ObjectNode run(ActiveRule rule, IncomingMessage message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("ruleName", rule.name());
    out.put("topic", message.topic());
    SqlResult result;
    try {
      result = rule.statement().evaluate(message, rule.environment());
    } catch (RuntimeException e) {
      out.put("matched", false);
      out.put("error", RuleEngine.messageOf(e));
      return out;
    }
    out.put("matched", result.matched());
    if (!result.matched()) {
      return out;
    }
    putOutput(out, result.payload());
    ActionInvocation invocation =
        new ActionInvocation(rule.name(), message, result.payload(), rule.environment());
    ArrayNode actions = out.putArray("actions");
    for (ActionLane lane : rule.actions()) {
      ObjectNode entry = actions.addObject();
      entry.put("action", lane.action().failedActionName());
      try {
        entry.put("resource", lane.action().resource(invocation));
        entry.set("request", lane.action().preview(invocation));
      } catch (RuntimeException e) {
        entry.put("error", RuleEngine.messageOf(e));
      }
    }
    return out;
  }

  private static void putOutput(ObjectNode out, byte[] payload) {
    if (payload.length == 0) {
      out.put("output", "");
      return;
    }
    try {
      JsonNode parsed = JSON.readTree(payload);
      if (parsed != null && new String(payload, StandardCharsets.UTF_8).strip().length() > 0) {
        out.set("output", parsed);
        return;
      }
    } catch (IOException notJson) {
      // binary output, shown as base64 below
    }
    out.put("outputBase64", Base64.getEncoder().encodeToString(payload));
  }
}
