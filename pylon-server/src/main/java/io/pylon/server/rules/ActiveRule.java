package io.pylon.server.rules;

import io.pylon.domain.rules.sql.SqlStatement;
import java.util.List;

/**
 * A rule as the runtime runs it: SQL compiled, actions prepared behind their lanes.
 *
 * @param name the rule's name
 * @param statement the compiled SQL
 * @param actions the rule's actions, each behind its own bounded lane
 * @param errorAction the lane of the error action, or null when the rule has none
 * @param environment what the rule's SQL and templates may reach
 * @param failureLog paces the log lines of failures that no error action receives
 */
public record ActiveRule(
    String name,
    SqlStatement statement,
    List<ActionLane> actions,
    ActionLane errorAction,
    RuleEnvironment environment,
    FailureLog failureLog) {

  public ActiveRule(
      String name,
      SqlStatement statement,
      List<ActionLane> actions,
      ActionLane errorAction,
      RuleEnvironment environment) {
    this(name, statement, actions, errorAction, environment, new FailureLog());
  }
}
