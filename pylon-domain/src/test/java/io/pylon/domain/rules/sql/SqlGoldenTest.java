package io.pylon.domain.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.SqlParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@code rules/sql-golden.tsv}: one statement per line, evaluated against one message, with
 * the exact output expected. Columns (tab-separated): version ({@code 2015}, {@code 2016}, {@code
 * beta} or {@code both}), topic, payload ({@code b64:} prefix for binary, {@code -} for none), SQL,
 * expected ({@code NO_MATCH}, {@code PARSE_ERROR}, {@code EVAL_ERROR} (a {@link
 * RuleEvaluationException}), {@code EMPTY} for an empty payload, {@code b64:} for raw bytes, else
 * the exact JSON text). Lines starting with {@code #} are comments.
 */
class SqlGoldenTest {

  static Stream<Arguments> rows() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    try (InputStream in = SqlGoldenTest.class.getResourceAsStream("/rules/sql-golden.tsv");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 5) {
          throw new IllegalStateException(
              "line " + number + ": expected 5 columns, got " + f.length);
        }
        List<SqlVersion> versions =
            switch (f[0]) {
              case "2015" -> List.of(SqlVersion.V2015_10_08);
              case "2016" -> List.of(SqlVersion.V2016_03_23);
              case "beta" -> List.of(SqlVersion.BETA);
              case "both" -> List.of(SqlVersion.V2015_10_08, SqlVersion.V2016_03_23);
              default -> throw new IllegalStateException("line " + number + ": version " + f[0]);
            };
        for (SqlVersion v : versions) {
          rows.add(Arguments.of(number, v, f[1], f[2], f[3], f[4]));
        }
      }
    }
    return rows.stream();
  }

  @Test
  void everyFunction_hasSeveralGoldenRows() throws IOException {
    String table;
    try (InputStream in = SqlGoldenTest.class.getResourceAsStream("/rules/sql-golden.tsv")) {
      table = new String(in.readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
    List<String> thin = new ArrayList<>();
    for (String name : Functions.names()) {
      String call = name.toLowerCase(Locale.ROOT) + "(";
      int rows = 0;
      for (String line : table.split("\n")) {
        if (line.contains(call) && !line.startsWith("#")) {
          rows++;
        }
      }
      // external services can only be shown refusing; everything else needs real cases
      int needed = name.startsWith("get_dynamodb") || name.startsWith("aws_lambda") ? 1 : 2;
      if (rows < needed) {
        thin.add(name + " (" + rows + ")");
      }
    }
    assertThat(thin).as("functions with too few golden rows").isEmpty();
  }

  @ParameterizedTest(name = "{0} [{1}] {4}")
  @MethodSource("rows")
  void statement_onMessage_givesDocumentedOutput(
      int line, SqlVersion version, String topic, String payload, String sql, String expected) {
    byte[] bytes =
        payload.equals("-")
            ? new byte[0]
            : payload.startsWith("b64:")
                ? Base64.getDecoder().decode(payload.substring(4))
                : payload.getBytes(StandardCharsets.UTF_8);
    if (expected.equals("PARSE_ERROR")) {
      assertThatThrownBy(() -> SqlStatement.compile(sql, version))
          .isInstanceOf(SqlParseException.class)
          .hasMessageMatching(".* at \\d+:\\d+.*");
      return;
    }
    SqlStatement statement = SqlStatement.compile(sql, version);
    if (expected.equals("EVAL_ERROR")) {
      assertThatThrownBy(
              () -> statement.evaluate(TestMessages.message(topic, bytes), TestMessages.ENV))
          .isInstanceOf(RuleEvaluationException.class)
          .hasMessageContaining("not available in Pylon");
      return;
    }
    SqlResult result = statement.evaluate(TestMessages.message(topic, bytes), TestMessages.ENV);
    if (expected.equals("NO_MATCH")) {
      assertThat(result.matched()).as("line %d matched: %s", line, result).isFalse();
      return;
    }
    assertThat(result.matched()).as("line %d matched", line).isTrue();
    if (expected.equals("EMPTY")) {
      assertThat(result.payload()).as("line %d", line).isEmpty();
    } else if (expected.startsWith("b64:")) {
      assertThat(Base64.getEncoder().encodeToString(result.payload()))
          .as("line %d", line)
          .isEqualTo(expected.substring(4));
    } else {
      assertThat(result.payloadText()).as("line %d", line).isEqualTo(expected);
    }
  }
}
