package io.pylon.domain.rules;

import java.util.Optional;

/**
 * Checks a rule's SQL statement when the rule is saved. Implemented by the SQL compiler; the rules
 * service only needs to know whether the statement is acceptable and which topic filter its {@code
 * FROM} clause names.
 */
@FunctionalInterface
public interface TopicRuleSqlCheck {

  /**
   * Checks {@code sql} for SQL version {@code awsIotSqlVersion}.
   *
   * @return the {@code FROM} topic filter, empty when the statement has none
   * @throws io.pylon.domain.error.SqlParseException when the statement does not parse or compile
   * @throws io.pylon.domain.error.InvalidRequestException when the statement is otherwise refused
   */
  Optional<String> check(String sql, String awsIotSqlVersion);
}
