package io.pylon.http.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.http.rest.RestRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading input members of a JSON body, with the InvalidRequest AWS gives for a wrong one. */
final class RequestMembers {

  private RequestMembers() {}

  static String requiredString(JsonNode body, String member) {
    return optionalString(body, member)
        .orElseThrow(() -> new InvalidRequestException(member + " is required"));
  }

  static Optional<String> optionalString(JsonNode body, String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(member + " must be a string");
    }
    return Optional.of(node.asText());
  }

  static List<String> stringList(JsonNode body, String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException(member + " must be a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new InvalidRequestException(member + " must be a list of strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  static String requiredHeader(RestRequest request, String header, String member) {
    return request
        .header(header)
        .filter(v -> !v.isEmpty())
        .orElseThrow(
            () -> new InvalidRequestException(member + " (header " + header + ") is required"));
  }

  /**
   * {@code pageSize} and {@code marker} query parameters as a page request. Markers are base64, as
   * AWS's marker pattern says; a client that sent a {@code +} unencoded may have had it decoded to
   * a space on the way, which no marker contains, so it is turned back.
   */
  static PageRequest page(RestRequest request) {
    return new PageRequest(
        request.queryInt("pageSize").orElse(PageRequest.DEFAULT_MAX_RESULTS),
        request.query("marker").map(m -> m.replace(' ', '+')));
  }
}
