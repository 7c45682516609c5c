package io.pylon.http.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.identity.Validity;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import java.util.Optional;

/** Request members and output pieces the two identity APIs share. */
final class IdentityJson {

  /** AWS's default page size of ListCertificates, ListCertificatesByCA and ListCACertificates. */
  static final int DEFAULT_PAGE_SIZE = 25;

  private IdentityJson() {}

  /**
   * A path label. The route catalog names the CA label {@code caCertificateId} while the model
   * member is {@code certificateId}; either spelling is accepted.
   */
  static String label(RestRequest request, String... names) {
    for (String name : names) {
      String value = request.labels().get(name);
      if (value != null) {
        return value;
      }
    }
    throw new IllegalStateException(request.operation() + " has no path label " + names[0]);
  }

  /** The marker-style page of a list operation: pageSize, marker, isAscendingOrder. */
  static PageRequest page(RestRequest request) {
    return new PageRequest(
        request.queryInt("pageSize").orElse(DEFAULT_PAGE_SIZE), request.query("marker"));
  }

  static boolean ascending(RestRequest request) {
    return request.queryBoolean("isAscendingOrder").orElse(false);
  }

  /** An optional string member of the JSON body; a non-string is an InvalidRequest. */
  static Optional<String> text(JsonNode body, String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(member + " must be a string");
    }
    return Optional.of(node.asText());
  }

  static String requiredText(JsonNode body, String member) {
    return text(body, member)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> new InvalidRequestException(member + " is required"));
  }

  static Optional<Boolean> bool(JsonNode body, String member) {
    JsonNode node = body.get(member);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw new InvalidRequestException(member + " must be true or false");
    }
    return Optional.of(node.asBoolean());
  }

  static ObjectNode validity(Validity validity) {
    ObjectNode node = RestJson.object();
    node.put("notBefore", RestJson.epochSeconds(validity.notBefore()));
    node.put("notAfter", RestJson.epochSeconds(validity.notAfter()));
    return node;
  }
}
