package io.pylon.server.rules;

import io.pylon.domain.error.SqlParseException;
import io.pylon.domain.rules.TopicRuleSqlCheck;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PLACEHOLDER, to be replaced by the SQL compiler ({@code io.pylon.domain.rules.sql}) when it is
 * wired into ControlPlane: accepts a statement that starts with {@code SELECT} and takes its topic
 * filter from the first {@code FROM '...'}. It checks nothing else, so rules with broken SQL are
 * saved until the compiler takes over.
 */
public final class SelectFromSqlCheck implements TopicRuleSqlCheck {

  private static final Pattern FROM = Pattern.compile("(?is)\\bFROM\\s+'([^']*)'");

  @Override
  public Optional<String> check(String sql, String awsIotSqlVersion) {
    String trimmed = sql.strip();
    if (!trimmed.toUpperCase(Locale.ROOT).startsWith("SELECT")) {
      throw new SqlParseException("Expected SELECT at the start of the statement");
    }
    Matcher from = FROM.matcher(trimmed);
    return from.find() ? Optional.of(from.group(1)) : Optional.empty();
  }
}
