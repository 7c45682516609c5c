package io.pylon.domain.rules;

import java.util.Optional;

/**
 * Checks a rule before it is saved, the way the rules runtime will run it: its SQL compiles and its
 * actions (substitution templates, action-specific settings) are accepted. Implemented by the rules
 * runtime, so that a rule that saves is a rule that runs; the rules service itself only needs the
 * topic filter of the statement's {@code FROM} clause.
 */
@FunctionalInterface
public interface TopicRuleCheck {

  /**
   * Checks {@code payload} of rule {@code ruleName}, its SQL read as {@code awsIotSqlVersion}.
   *
   * @return the {@code FROM} topic filter, empty when the statement has none
   * @throws io.pylon.domain.error.SqlParseException when the statement or a template does not parse
   * @throws io.pylon.domain.error.InvalidRequestException when an action is otherwise refused
   */
  Optional<String> check(String ruleName, TopicRulePayload payload, String awsIotSqlVersion);
}
