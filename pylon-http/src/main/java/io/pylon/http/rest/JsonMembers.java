package io.pylon.http.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed reads of request members, from a JSON body or the query string. A member that is absent or
 * JSON {@code null} is empty; one of the wrong type is an InvalidRequest naming the member, so that
 * handlers never see a half-understood input.
 */
public final class JsonMembers {

  private JsonMembers() {}

  public static Optional<String> string(JsonNode object, String member) {
    return present(object, member)
        .map(
            node -> {
              if (!node.isTextual()) {
                throw wrongType(member, "a string");
              }
              return node.textValue();
            });
  }

  public static String requiredString(JsonNode object, String member) {
    return string(object, member).orElseThrow(() -> missing(member));
  }

  public static Optional<Boolean> bool(JsonNode object, String member) {
    return present(object, member)
        .map(
            node -> {
              if (!node.isBoolean()) {
                throw wrongType(member, "true or false");
              }
              return node.booleanValue();
            });
  }

  public static OptionalLong integer(JsonNode object, String member) {
    Optional<JsonNode> node = present(object, member);
    if (node.isEmpty()) {
      return OptionalLong.empty();
    }
    if (!node.get().isIntegralNumber() || !node.get().canConvertToLong()) {
      throw wrongType(member, "an integer");
    }
    return OptionalLong.of(node.get().longValue());
  }

  public static Optional<JsonNode> object(JsonNode object, String member) {
    return present(object, member)
        .map(
            node -> {
              if (!node.isObject()) {
                throw wrongType(member, "an object");
              }
              return node;
            });
  }

  /** A JSON array of objects. */
  public static Optional<List<JsonNode>> objects(JsonNode object, String member) {
    return array(object, member)
        .map(
            items -> {
              for (JsonNode item : items) {
                if (!item.isObject()) {
                  throw wrongType(member, "a list of objects");
                }
              }
              return items;
            });
  }

  /** A JSON array of strings. */
  public static Optional<List<String>> strings(JsonNode object, String member) {
    return array(object, member)
        .map(
            items -> {
              List<String> values = new ArrayList<>(items.size());
              for (JsonNode item : items) {
                if (!item.isTextual()) {
                  throw wrongType(member, "a list of strings");
                }
                values.add(item.textValue());
              }
              return values;
            });
  }

  /** A JSON object whose values are all strings, in the order sent. */
  public static Optional<Map<String, String>> stringMap(JsonNode object, String member) {
    return object(object, member)
        .map(
            node -> {
              Map<String, String> values = new LinkedHashMap<>();
              var fields = node.fields();
              while (fields.hasNext()) {
                var field = fields.next();
                if (!field.getValue().isTextual()) {
                  throw wrongType(member + "." + field.getKey(), "a string");
                }
                values.put(field.getKey(), field.getValue().textValue());
              }
              return values;
            });
  }

  /** A query parameter that must be a (long) integer. */
  public static OptionalLong queryLong(RestRequest request, String name) {
    Optional<String> value = request.query(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.get()));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be an integer, was '" + value.get() + "'");
    }
  }

  public static InvalidRequestException missing(String member) {
    return new InvalidRequestException(member + " is required");
  }

  private static Optional<List<JsonNode>> array(JsonNode object, String member) {
    return present(object, member)
        .map(
            node -> {
              if (!node.isArray()) {
                throw wrongType(member, "a list");
              }
              List<JsonNode> items = new ArrayList<>(node.size());
              node.forEach(items::add);
              return items;
            });
  }

  private static Optional<JsonNode> present(JsonNode object, String member) {
    JsonNode node = object.get(member);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  private static InvalidRequestException wrongType(String member, String expected) {
    return new InvalidRequestException(member + " must be " + expected);
  }
}
