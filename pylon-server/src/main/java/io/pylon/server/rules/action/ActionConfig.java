package io.pylon.server.rules.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.sql.SubstitutionTemplate;

/**
 * Reads one action's JSON configuration with errors that name the field, as {@code
 * actions[].republish.topic}.
 */
final class ActionConfig {

  private final String key;
  private final ObjectNode config;
  private final ActionDefinition definition;

  ActionConfig(String key, ActionDefinition definition) {
    this.key = key;
    this.config = definition.config();
    this.definition = definition;
  }

  String path(String field) {
    return (definition.errorAction() ? "errorAction." : "actions[].") + key + "." + field;
  }

  String requiredText(String field) {
    JsonNode node = config.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(path(field) + " is required");
    }
    if (!node.isTextual() || node.textValue().isEmpty()) {
      throw new InvalidRequestException(path(field) + " must be a non-empty string");
    }
    return node.textValue();
  }

  String optionalText(ObjectNode in, String field, String prefix) {
    JsonNode node = in.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(path(prefix + field) + " must be a string");
    }
    return node.textValue();
  }

  int optionalInt(String field, int defaultValue, int min, int max) {
    JsonNode node = config.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new InvalidRequestException(path(field) + " must be an integer");
    }
    int value = node.intValue();
    if (value < min || value > max) {
      throw new InvalidRequestException(
          path(field) + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  boolean optionalBoolean(String field, boolean defaultValue) {
    JsonNode node = config.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isBoolean()) {
      throw new InvalidRequestException(path(field) + " must be true or false");
    }
    return node.booleanValue();
  }

  ObjectNode optionalObject(String field) {
    JsonNode node = config.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequestException(path(field) + " must be an object");
    }
    return (ObjectNode) node;
  }

  /**
   * Compiles a field's substitution template. As AWS, an error action's templates may not call the
   * functions that reach outside Pylon (aws_lambda, get_dynamodb, ...).
   */
  SubstitutionTemplate template(String text) {
    if (text == null) {
      return null;
    }
    SubstitutionTemplate template = SubstitutionTemplate.compile(text, definition.statement());
    if (definition.errorAction() && template.callsExternalFunctions()) {
      throw new InvalidRequestException(
          "errorAction."
              + key
              + ": templates of an error action cannot call external functions: "
              + text);
    }
    return template;
  }

  ObjectNode config() {
    return config;
  }
}
