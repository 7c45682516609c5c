package io.pylon.http.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A routed request as an operation handler sees it: path labels already percent-decoded, query
 * parameters, headers (names lower case) and the body.
 *
 * @param operation the AWS operation name, e.g. {@code CreateThing}
 * @param caller who signed or presented the request
 * @param labels decoded path labels by name
 * @param query query parameters by name, in request order
 * @param headers header values by lower-case name
 * @param body the raw body
 */
public record RestRequest(
    String operation,
    Caller caller,
    Map<String, String> labels,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body) {

  public RestRequest {
    labels = Map.copyOf(labels);
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  /** A path label; the route guarantees it is present. */
  public String label(String name) {
    String value = labels.get(name);
    if (value == null) {
      throw new IllegalStateException(operation + " has no path label " + name);
    }
    return value;
  }

  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** A boolean query parameter; anything but {@code true}/{@code false} is an InvalidRequest. */
  public Optional<Boolean> queryBoolean(String name) {
    return query(name)
        .map(
            v -> {
              if (v.equalsIgnoreCase("true")) {
                return true;
              }
              if (v.equalsIgnoreCase("false")) {
                return false;
              }
              throw new InvalidRequestException(name + " must be true or false, was '" + v + "'");
            });
  }

  /** An integer query parameter; a non-number is an InvalidRequest. */
  public Optional<Integer> queryInt(String name) {
    return query(name)
        .map(
            v -> {
              try {
                return Integer.parseInt(v);
              } catch (NumberFormatException e) {
                throw new InvalidRequestException(name + " must be an integer, was '" + v + "'");
              }
            });
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The body as a JSON object; empty bodies are empty objects, malformed ones InvalidRequest. */
  public JsonNode json() {
    return RestJson.parse(body);
  }

  /** Who made a request. */
  public sealed interface Caller {

    /** An administrator or application that signed with SigV4. */
    record SigV4(String accessKeyId, String region) implements Caller {}

    /** A device that presented a client certificate (id: SHA-256 hex of the DER encoding). */
    record Certificate(String certificateId) implements Caller {}

    /**
     * Nobody identified: only for operations whose input is itself the secret
     * (ConfirmTopicRuleDestination's token, opened as an {@code enableUrl}).
     */
    record Anonymous() implements Caller {}
  }
}
