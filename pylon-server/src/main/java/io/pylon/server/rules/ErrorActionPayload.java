package io.pylon.server.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;

/**
 * The message an error action receives, in AWS's shape: one per failing rule invocation, listing
 * every action that failed.
 */
final class ErrorActionPayload {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One failed action. */
  record Failure(String failedAction, String failedResource, String errorMessage) {}

  private ErrorActionPayload() {}

  static byte[] render(
      String ruleName,
      String topic,
      String traceId,
      String clientId,
      byte[] originalPayload,
      List<Failure> failures) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ruleName", ruleName);
    root.put("topic", topic);
    root.put("cloudwatchTraceId", traceId);
    root.put("clientId", clientId == null ? "n/a" : clientId);
    root.put("base64OriginalPayload", Base64.getEncoder().encodeToString(originalPayload));
    ArrayNode list = root.putArray("failures");
    for (Failure f : failures) {
      ObjectNode entry = list.addObject();
      entry.put("failedAction", f.failedAction());
      entry.put("failedResource", f.failedResource());
      entry.put("errorMessage", f.errorMessage());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an object node always serialises", e);
    }
  }
}
