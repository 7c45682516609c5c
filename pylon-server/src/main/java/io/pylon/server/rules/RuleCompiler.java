package io.pylon.server.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRulePayload;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import io.pylon.domain.rules.sql.SqlStatement;
import io.pylon.domain.rules.sql.SqlVersion;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.server.rules.action.UnsupportedActionType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a saved rule into what the runtime runs: the SQL compiled once, every action validated and
 * prepared (templates compiled) behind its own bounded lane. The same compilation validates a rule
 * when it is created or replaced, so a rule that saves is a rule that runs.
 */
public final class RuleCompiler {

  private final Map<String, RuleActionType> actionTypes;
  private final String accountId;
  private final Clock clock;
  private final ShadowService shadows;
  private final RuleMetrics metrics;
  private final RuleSettings settings;

  public RuleCompiler(
      List<RuleActionType> actionTypes,
      String accountId,
      Clock clock,
      ShadowService shadows,
      RuleMetrics metrics,
      RuleSettings settings) {
    java.util.HashMap<String, RuleActionType> byKey = new java.util.HashMap<>();
    for (RuleActionType t : actionTypes) {
      byKey.put(t.key(), t);
    }
    this.actionTypes = Map.copyOf(byKey);
    this.accountId = accountId;
    this.clock = clock;
    this.shadows = shadows;
    this.metrics = metrics;
    this.settings = settings;
  }

  /** Compiles a rule; throws SqlParseException or InvalidRequestException naming what is wrong. */
  public ActiveRule compile(
      String name, String sql, String sqlVersion, List<ObjectNode> actions, ObjectNode error) {
    SqlVersion version = SqlVersion.fromWire(sqlVersion);
    SqlStatement statement = SqlStatement.compile(sql, version);
    List<ActionLane> lanes = new ArrayList<>(actions.size());
    for (ObjectNode action : actions) {
      lanes.add(lane(prepare(name, action, statement, false)));
    }
    ActionLane errorLane = error == null ? null : lane(prepare(name, error, statement, true));
    return new ActiveRule(
        name,
        statement,
        List.copyOf(lanes),
        errorLane,
        new RuleEnvironment(name, accountId, clock, shadows));
  }

  /** Compiles a rule given as AWS's TopicRulePayload, its SQL read as {@code sqlVersion}. */
  public ActiveRule compile(String name, TopicRulePayload payload, String sqlVersion) {
    return compile(
        name, payload.sql(), sqlVersion, payload.actions(), payload.errorAction().orElse(null));
  }

  /**
   * Checks a rule about to be saved by compiling it as it would run; returns its FROM filter. The
   * rules service calls this through {@link io.pylon.domain.rules.TopicRuleCheck}.
   */
  public Optional<String> check(String name, TopicRulePayload payload, String sqlVersion) {
    return compile(name, payload, sqlVersion).statement().topicFilter();
  }

  private ActionLane lane(RuleAction action) {
    return new ActionLane(
        action, settings.maxInFlightPerAction(), settings.maxQueuedPerAction(), metrics);
  }

  /** Prepares one {@code Action} object: exactly one member, naming a known action type. */
  RuleAction prepare(String ruleName, ObjectNode action, SqlStatement statement, boolean isError) {
    String where = isError ? "errorAction" : "actions[]";
    Iterator<Map.Entry<String, JsonNode>> fields = action.fields();
    if (!fields.hasNext()) {
      throw new InvalidRequestException(where + " must name one action, was empty");
    }
    Map.Entry<String, JsonNode> only = fields.next();
    if (fields.hasNext()) {
      throw new InvalidRequestException(where + " must name exactly one action");
    }
    if (!only.getValue().isObject()) {
      throw new InvalidRequestException(where + "." + only.getKey() + " must be an object");
    }
    RuleActionType type =
        actionTypes.getOrDefault(only.getKey(), new UnsupportedActionType(only.getKey()));
    return type.prepare(
        new ActionDefinition(ruleName, (ObjectNode) only.getValue(), statement, isError));
  }
}
