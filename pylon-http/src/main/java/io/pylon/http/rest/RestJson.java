package io.pylon.http.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * JSON as the AWS IoT control plane speaks it: objects without null members, and timestamps as
 * epoch seconds with a fraction (the model declares no timestamp format, so SDKs expect numbers).
 */
public final class RestJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RestJson() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** An Instant as epoch seconds with millisecond fraction, the way AWS IoT sends dates. */
  public static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /** Parses a request body; an empty body is an empty object, as clients send for no members. */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        return MAPPER.createObjectNode();
      }
      if (!node.isObject()) {
        throw new InvalidRequestException("the request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidRequestException("the request body is not valid JSON");
    }
  }
}
