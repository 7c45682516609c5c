package io.pylon.domain.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated update request state document ({@code P/update} payload, UpdateThingShadow body).
 *
 * @param state the {@code state} node as sent: an object, or JSON null to clear both sections
 * @param desired absent when the request does not touch {@code desired}; JSON null to delete it
 * @param reported as {@code desired}
 * @param version the version the client expects the shadow to have, if it gave one
 * @param clientToken echoed in every answer
 */
public record ShadowUpdateRequest(
    JsonNode state,
    Optional<JsonNode> desired,
    Optional<JsonNode> reported,
    OptionalLong version,
    Optional<String> clientToken) {

  static final int MAX_CLIENT_TOKEN_BYTES = 64;

  /**
   * Parses and validates in AWS's order; a refusal is a {@link ShadowException} carrying the
   * request's client token when it had a usable one.
   */
  public static ShadowUpdateRequest parse(byte[] payload, ShadowLimits limits) {
    ObjectNode root = ShadowJson.parseObject(payload);
    Optional<String> token = usableToken(root);
    try {
      return validate(root, token, limits);
    } catch (ShadowException e) {
      throw e.withClientToken(token);
    }
  }

  private static ShadowUpdateRequest validate(
      ObjectNode root, Optional<String> token, ShadowLimits limits) {
    if (!root.has("state")) {
      throw bad("Missing required node: state");
    }
    JsonNode state = root.get("state");
    if (!state.isObject() && !state.isNull()) {
      throw bad("State node must be an object");
    }
    Optional<JsonNode> desired = Optional.empty();
    Optional<JsonNode> reported = Optional.empty();
    if (state.isNull()) {
      desired = Optional.of(state);
      reported = Optional.of(state);
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = state.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode section = e.getValue();
        switch (e.getKey()) {
          case "desired":
            desired = Optional.of(section(section, "Desired"));
            break;
          case "reported":
            reported = Optional.of(section(section, "Reported"));
            break;
          case "delta":
            // A delta is computed, never written; AWS ignores one in a request.
            break;
          default:
            throw bad("State contains an invalid node");
        }
      }
    }
    JsonNode versionNode = root.get("version");
    OptionalLong version = OptionalLong.empty();
    if (versionNode != null && !versionNode.isNull()) {
      if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong()) {
        throw bad("Invalid version");
      }
      version = OptionalLong.of(versionNode.longValue());
    }
    JsonNode tokenNode = root.get("clientToken");
    if (tokenNode != null && token.isEmpty()) {
      throw bad("Invalid clientToken");
    }
    for (Optional<JsonNode> section : java.util.List.of(desired, reported)) {
      if (section.isPresent() && section.get().isObject()) {
        if (depth(section.get()) > limits.maxDepth()) {
          throw bad("JSON contains too many levels of nesting; maximum is " + limits.maxDepth());
        }
        if (hasNullInArray(section.get(), false)) {
          throw bad("Invalid JSON: arrays may not contain null");
        }
      }
    }
    return new ShadowUpdateRequest(state, desired, reported, version, token);
  }

  private static JsonNode section(JsonNode section, String name) {
    if (!section.isObject() && !section.isNull()) {
      throw bad(name + " node must be an object");
    }
    return section;
  }

  private static Optional<String> usableToken(ObjectNode root) {
    JsonNode token = root.get("clientToken");
    if (token == null || !token.isTextual()) {
      return Optional.empty();
    }
    String text = token.textValue();
    return text.getBytes(StandardCharsets.UTF_8).length <= MAX_CLIENT_TOKEN_BYTES
        ? Optional.of(text)
        : Optional.empty();
  }

  /** Levels of objects and arrays: a scalar is 0, {@code {}} is 1, {@code {"a":{}}} is 2. */
  static int depth(JsonNode node) {
    if (!node.isContainerNode()) {
      return 0;
    }
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return deepest + 1;
  }

  private static boolean hasNullInArray(JsonNode node, boolean insideArray) {
    if (node.isNull()) {
      return insideArray;
    }
    for (JsonNode child : node) {
      if (hasNullInArray(child, node.isArray())) {
        return true;
      }
    }
    return false;
  }

  private static ShadowException bad(String message) {
    return new ShadowException(ShadowException.BAD_REQUEST, message);
  }
}
