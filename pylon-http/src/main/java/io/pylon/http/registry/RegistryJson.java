package io.pylon.http.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.registry.AttributePayload;
import io.pylon.http.rest.JsonMembers;
import io.pylon.http.rest.RestJson;
import java.util.Map;
import java.util.Optional;

/** The registry's shared JSON shapes: AttributePayload in, attribute maps out. */
final class RegistryJson {

  private RegistryJson() {}

  /** An {@code AttributePayload} member: {@code {"attributes": {...}, "merge": bool}}. */
  static Optional<AttributePayload> attributePayload(JsonNode object, String member) {
    return JsonMembers.object(object, member)
        .map(
            payload ->
                new AttributePayload(
                    JsonMembers.stringMap(payload, "attributes").orElse(Map.of()),
                    JsonMembers.bool(payload, "merge").orElse(false)));
  }

  static ObjectNode attributes(Map<String, String> attributes) {
    ObjectNode node = RestJson.object();
    attributes.forEach(node::put);
    return node;
  }

  /** A thing or group named by name, by ARN of this account, or both if they agree. */
  static String reference(
      io.pylon.domain.AwsAccount account,
      JsonNode body,
      String nameMember,
      String arnMember,
      String resourceType) {
    Optional<String> name = JsonMembers.string(body, nameMember);
    Optional<String> arn = JsonMembers.string(body, arnMember);
    if (arn.isPresent()) {
      String fromArn =
          account
              .resourceOf(arn.get(), resourceType)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          arnMember
                              + " '"
                              + arn.get()
                              + "' is not a "
                              + resourceType
                              + " ARN of this account"));
      if (name.isPresent() && !name.get().equals(fromArn)) {
        throw new InvalidRequestException(
            nameMember + " and " + arnMember + " name different resources");
      }
      return fromArn;
    }
    return name.orElseThrow(
        () -> new InvalidRequestException(nameMember + " or " + arnMember + " is required"));
  }
}
