package io.pylon.domain.rules.sql;

import io.pylon.domain.error.SqlParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A topic rule's SQL statement, compiled once: {@code [SET @v = ...] SELECT ... [FROM 'filter']
 * [WHERE ...]}. {@link #evaluate} runs WHERE, then SELECT, against one message; it is thread-safe
 * and allocates little beyond the output.
 */
public final class SqlStatement {

  private final String sql;
  private final SqlVersion version;
  private final SelectList select;
  private final String topicFilter;
  private final Expr where;
  private final List<String> variableNames;
  private final Expr[] variables;
  private final boolean callsExternalFunctions;

  private SqlStatement(String sql, SqlVersion version, SqlParser.Statement parsed) {
    this.sql = sql;
    this.version = version;
    this.select = parsed.select();
    this.topicFilter = parsed.topicFilter();
    this.where = parsed.where();
    this.variableNames = parsed.variableNames();
    this.variables = parsed.variables();
    this.callsExternalFunctions = parsed.callsExternal();
  }

  /**
   * Parses and checks a statement: syntax, function names and arities, and features the version
   * lacks (2016-03-23 functions, literals and nested queries under 2015-10-08).
   *
   * @throws SqlParseException with the line and column of the problem
   */
  public static SqlStatement compile(String sql, SqlVersion version) {
    Objects.requireNonNull(version, "version");
    if (sql == null || sql.isBlank()) {
      throw new SqlParseException("Empty SQL statement");
    }
    return new SqlStatement(sql, version, SqlParser.parseStatement(sql, version));
  }

  public String sql() {
    return sql;
  }

  public SqlVersion version() {
    return version;
  }

  /** The FROM topic filter without its quotes; empty for a statement without FROM. */
  public Optional<String> topicFilter() {
    return Optional.ofNullable(topicFilter);
  }

  /**
   * WHERE first (no match when it is false or Undefined), then the SELECT output.
   *
   * @throws RuleEvaluationException when a function fails in a way the error action must see
   */
  public SqlResult evaluate(IncomingMessage message, SqlEnvironment env) {
    EvalContext c = new EvalContext(message, env, version, variables);
    if (where != null && Values.toBoolean(where.eval(c)) != Boolean.TRUE) {
      return SqlResult.NO_MATCH;
    }
    return new SqlResult(true, select.write(c));
  }

  /**
   * Whether the statement calls a function AWS marks as an external call ({@code aws_lambda},
   * {@code get_dynamodb}, {@code get_secret}, {@code get_thing_shadow}, {@code
   * machinelearning_predict}, {@code get_registry_data}).
   */
  public boolean callsExternalFunctions() {
    return callsExternalFunctions;
  }

  /** The names of the statement's SET variables ({@code @name} without the {@code @}), in order. */
  public List<String> variableNames() {
    return variableNames;
  }

  Expr[] variables() {
    return variables;
  }

  @Override
  public String toString() {
    return sql;
  }
}
