package io.pylon.http.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds RestRequests as the router would hand them over, and reads JSON responses. */
final class Requests {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String operation;
  private final Map<String, String> labels = new HashMap<>();
  private final Map<String, List<String>> query = new HashMap<>();
  private String body = "";

  private Requests(String operation) {
    this.operation = operation;
  }

  static Requests op(String operation) {
    return new Requests(operation);
  }

  Requests label(String name, String value) {
    labels.put(name, value);
    return this;
  }

  Requests query(String name, String value) {
    query.put(name, List.of(value));
    return this;
  }

  Requests body(Map<String, Object> members) {
    try {
      body = MAPPER.writeValueAsString(members);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  RestRequest build() {
    return new RestRequest(
        operation,
        new RestRequest.Caller.SigV4("AKIDEXAMPLE", "us-east-1"),
        labels,
        query,
        Map.of(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(RestResponse response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
