package io.pylon.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rules scenario's topics and the topic rules it creates, as the AWS IoT REST API takes them.
 * Everything lives under {@code bench/<prefix>/}, and rule names start with the prefix, so that two
 * runs against one server never touch each other's rules or messages.
 *
 * <p>Input topic {@code t} of publisher {@code p} is {@code bench/<prefix>/in/<t>/<p>}. Rule {@code
 * i} selects {@code *, topic(5) AS device} from {@code bench/<prefix>/in/<i>/+}, so each message
 * matches exactly one rule; with {@link Actions#BOTH} even rules republish to {@code
 * bench/<prefix>/out/<i>} and odd ones POST to {@code <sink>/<i>} through one destination for the
 * sink ({@link Actions#REPUBLISH} and {@link Actions#HTTP}: every rule the one kind). Without rules
 * (the baseline) the subscriber takes the input topics themselves.
 *
 * @param sinkBase the HTTP sink's base URL, also the destination's confirmation URL; null without
 *     HTTP rules
 */
record RuleSet(String prefix, int rules, int topics, int qos, Actions actions, String sinkBase) {

  /** Which actions the rules take: alternating (the default), or all of one kind. */
  enum Actions {
    BOTH,
    REPUBLISH,
    HTTP;

    static Actions parse(String text) {
      return switch (text) {
        case "both" -> BOTH;
        case "republish" -> REPUBLISH;
        case "http" -> HTTP;
        default ->
            throw new IllegalArgumentException(
                "--actions must be both, republish or http, was " + text);
      };
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Pylon has no IAM roles, but the API requires a role ARN in these actions, as AWS does. */
  static final String ROLE_ARN = "arn:aws:iam::000000000000:role/pylon-bench";

  RuleSet {
    if (!prefix.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "rules: --client-id-prefix becomes part of rule names and SQL: letters, digits, '_'"
              + " and '-' only, was "
              + prefix);
    }
    if (rules < 0 || topics < 1 || rules > 0 && rules != topics) {
      throw new IllegalArgumentException(
          "rules: one rule per input topic, or no rules; was " + rules + " for " + topics);
    }
  }

  String base() {
    return "bench/" + prefix;
  }

  /** Publisher {@code p}'s topics, one per rule, in the order it sends to them. */
  String[] inputTopics(int publisher) {
    String[] out = new String[topics];
    for (int t = 0; t < topics; t++) {
      out[t] = base() + "/in/" + t + "/" + publisher;
    }
    return out;
  }

  /** What the one subscriber takes: the rules' republished output, or without rules the input. */
  String subscribeFilter() {
    return base() + (rules == 0 ? "/in/#" : "/out/#");
  }

  boolean isHttp(int rule) {
    return switch (actions) {
      case BOTH -> rule % 2 == 1;
      case REPUBLISH -> false;
      case HTTP -> true;
    };
  }

  int httpRules() {
    return switch (actions) {
      case BOTH -> rules / 2;
      case REPUBLISH -> 0;
      case HTTP -> rules;
    };
  }

  int republishRules() {
    return rules - httpRules();
  }

  /** A valid AWS rule name: letters, digits and '_' only. */
  String ruleName(int rule) {
    return prefix.replace('-', '_') + "_r" + rule;
  }

  /** The body of CreateTopicRule ({@code POST /rules/<name>}): a TopicRulePayload. */
  ObjectNode topicRulePayload(int rule) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("sql", "SELECT *, topic(5) AS device FROM '" + base() + "/in/" + rule + "/+'");
    payload.put("awsIotSqlVersion", "2016-03-23");
    payload.put("ruleDisabled", false);
    ArrayNode actions = payload.putArray("actions");
    if (isHttp(rule)) {
      ObjectNode http = actions.addObject().putObject("http");
      http.put("url", sinkBase + "/" + rule);
      http.put("confirmationUrl", sinkBase);
    } else {
      ObjectNode republish = actions.addObject().putObject("republish");
      republish.put("roleArn", ROLE_ARN);
      republish.put("topic", base() + "/out/" + rule);
      republish.put("qos", qos);
    }
    return payload;
  }

  /** The body of CreateTopicRuleDestination ({@code POST /destinations}) for the sink. */
  ObjectNode destinationRequest() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("destinationConfiguration")
        .putObject("httpUrlConfiguration")
        .put("confirmationUrl", sinkBase);
    return body;
  }
}
