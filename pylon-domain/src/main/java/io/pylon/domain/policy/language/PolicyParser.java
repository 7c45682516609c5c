package io.pylon.domain.policy.language;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pylon.domain.error.MalformedPolicyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** JSON text to {@link PolicyDocument}, rejecting what AWS rejects with a message that says why. */
final class PolicyParser {

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Set<String> DOCUMENT_KEYS = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_KEYS =
      Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

  /** {@code service:name} with wildcards in the name, or {@code *} alone. */
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+");

  private PolicyParser() {}

  static PolicyDocument parse(String json, int maxLength) {
    if (json == null || json.isBlank()) {
      throw new MalformedPolicyException("the policy document is empty");
    }
    long length = json.chars().filter(c -> !Character.isWhitespace(c)).count();
    if (length > maxLength) {
      throw new MalformedPolicyException(
          "the policy document has "
              + length
              + " characters excluding whitespace; at most "
              + maxLength
              + " are allowed");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedPolicyException(
          "the policy document is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedPolicyException("the policy document must be a JSON object");
    }
    rejectUnknown(root, DOCUMENT_KEYS, "the policy document");
    String version = PolicyDocument.VERSION_2008_10_17;
    JsonNode versionNode = root.get("Version");
    if (versionNode != null) {
      if (!versionNode.isTextual()
          || !(versionNode.asText().equals(PolicyDocument.VERSION_2012_10_17)
              || versionNode.asText().equals(PolicyDocument.VERSION_2008_10_17))) {
        throw new MalformedPolicyException(
            "Version must be \"2012-10-17\" or \"2008-10-17\", was " + versionNode);
      }
      version = versionNode.asText();
    }
    String id = null;
    JsonNode idNode = root.get("Id");
    if (idNode != null) {
      if (!idNode.isTextual()) {
        throw new MalformedPolicyException("Id must be a string");
      }
      id = idNode.asText();
    }
    JsonNode statementNode = root.get("Statement");
    if (statementNode == null) {
      throw new MalformedPolicyException("the policy document has no Statement");
    }
    List<JsonNode> statementNodes = new ArrayList<>();
    if (statementNode.isArray()) {
      statementNode.forEach(statementNodes::add);
    } else {
      statementNodes.add(statementNode);
    }
    if (statementNodes.isEmpty()) {
      throw new MalformedPolicyException("Statement must hold at least one statement");
    }
    boolean variables = version.equals(PolicyDocument.VERSION_2012_10_17);
    List<CompiledStatement> compiled = new ArrayList<>();
    for (int i = 0; i < statementNodes.size(); i++) {
      compiled.add(statement(statementNodes.get(i), i, variables));
    }
    return new PolicyDocument(version, id, compiled);
  }

  private static CompiledStatement statement(JsonNode node, int index, boolean variables) {
    String where = "Statement[" + index + "]";
    if (!node.isObject()) {
      throw new MalformedPolicyException(where + " must be a JSON object");
    }
    rejectUnknown(node, STATEMENT_KEYS, where);
    String sid = null;
    if (node.has("Sid")) {
      if (!node.get("Sid").isTextual()) {
        throw new MalformedPolicyException(where + ": Sid must be a string");
      }
      sid = node.get("Sid").asText();
    }
    JsonNode effectNode = node.get("Effect");
    if (effectNode == null) {
      throw new MalformedPolicyException(where + " has no Effect");
    }
    Effect effect =
        switch (effectNode.isTextual() ? effectNode.asText() : "") {
          case "Allow" -> Effect.ALLOW;
          case "Deny" -> Effect.DENY;
          default ->
              throw new MalformedPolicyException(
                  where + ": Effect must be \"Allow\" or \"Deny\", was " + effectNode);
        };
    boolean notAction = exactlyOne(node, "Action", "NotAction", where);
    String actionKey = notAction ? "NotAction" : "Action";
    List<String> actions = strings(node.get(actionKey), where + "." + actionKey);
    Glob[] actionGlobs = new Glob[actions.size()];
    for (int i = 0; i < actions.size(); i++) {
      String action = actions.get(i);
      if (!ACTION.matcher(action).matches()) {
        throw new MalformedPolicyException(
            where + ": action \"" + action + "\" must be \"*\" or of the form iot:Name");
      }
      actionGlobs[i] = Template.compile(action, true, false, true).bind(null, null);
    }
    boolean notResource = exactlyOne(node, "Resource", "NotResource", where);
    String resourceKey = notResource ? "NotResource" : "Resource";
    List<String> resources = strings(node.get(resourceKey), where + "." + resourceKey);
    List<Template> resourceTemplates = new ArrayList<>();
    for (String resource : resources) {
      if (!resource.equals("*") && !resource.startsWith("arn:")) {
        throw new MalformedPolicyException(
            where + ": resource \"" + resource + "\" must be \"*\" or an ARN");
      }
      resourceTemplates.add(Template.compile(resource, true, variables, false));
    }
    List<Condition> conditions = new ArrayList<>();
    List<ConditionClause> clauses = new ArrayList<>();
    JsonNode conditionNode = node.get("Condition");
    if (conditionNode != null) {
      if (!conditionNode.isObject()) {
        throw new MalformedPolicyException(where + ": Condition must be a JSON object");
      }
      for (Map.Entry<String, JsonNode> op : conditionNode.properties()) {
        if (!op.getValue().isObject()) {
          throw new MalformedPolicyException(
              where + ": Condition." + op.getKey() + " must be a JSON object of key: values");
        }
        for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
          List<String> values =
              conditionValues(
                  key.getValue(), where + ".Condition." + op.getKey() + "." + key.getKey());
          Condition condition = new Condition(op.getKey(), key.getKey(), values);
          conditions.add(condition);
          clauses.add(ConditionClause.compile(condition, variables, where));
        }
      }
    }
    Statement statement =
        new Statement(sid, effect, actions, notAction, resources, notResource, conditions);
    return new CompiledStatement(
        statement, index, actionGlobs, List.copyOf(resourceTemplates), List.copyOf(clauses));
  }

  /** True when the {@code not} form is the one present; exactly one of the two must be. */
  private static boolean exactlyOne(JsonNode node, String positive, String negative, String where) {
    boolean hasPositive = node.has(positive);
    boolean hasNegative = node.has(negative);
    if (hasPositive == hasNegative) {
      throw new MalformedPolicyException(
          hasPositive
              ? where + " has both " + positive + " and " + negative
              : where + " has neither " + positive + " nor " + negative);
    }
    return hasNegative;
  }

  private static List<String> strings(JsonNode node, String where) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw new MalformedPolicyException(where + " must hold strings only, found " + item);
        }
        out.add(item.asText());
      }
    } else {
      throw new MalformedPolicyException(where + " must be a string or an array of strings");
    }
    if (out.isEmpty()) {
      throw new MalformedPolicyException(where + " must not be empty");
    }
    for (String s : out) {
      if (s.isEmpty()) {
        throw new MalformedPolicyException(where + " must not hold an empty string");
      }
    }
    return out;
  }

  /** Strings, numbers and booleans (IAM accepts {@code true} for {@code "true"}); may be empty. */
  private static List<String> conditionValues(JsonNode node, String where) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode item : node) {
        out.add(scalar(item, where));
      }
    } else {
      out.add(scalar(node, where));
    }
    return out;
  }

  private static String scalar(JsonNode node, String where) {
    if (node.isTextual() || node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    throw new MalformedPolicyException(
        where + " must be a string, number or boolean, found " + node);
  }

  private static void rejectUnknown(JsonNode node, Set<String> allowed, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new MalformedPolicyException(
            where
                + " has an unknown element \""
                + name
                + "\" (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }
}
