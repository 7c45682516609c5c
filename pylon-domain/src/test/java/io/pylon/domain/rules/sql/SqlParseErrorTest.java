package io.pylon.domain.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.SqlParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlParseErrorTest {

  private static final SqlVersion V2016 = SqlVersion.V2016_03_23;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT color FORM 'x'                          | Expected FROM at 1:14 near 'FORM'",
        "SELECT temp FROM 'a' WHERE temp >              | Expected an expression at 1:34 at end of input",
        "SELEC color FROM 'x'                           | Expected SELECT at 1:1 near 'SELEC'",
        "SELECT color FROM x/y                          | Expected a quoted topic filter at 1:19 near 'x'",
        "SELECT nosuch(1) FROM 'x'                      | Unknown function 'nosuch' at 1:8 near 'nosuch'",
        "SELECT abs(1, 2) FROM 'x'                      | Function abs() takes 1 argument(s), got 2 at 1:8 near 'abs'",
        "SELECT substring('a') FROM 'x'                 | Function substring() takes 2 to 3 argument(s), got 1 at 1:8",
        "SELECT a FROM 'x                               | Unterminated string at 1:15",
        "SELECT a FROM 'x' WHERE a = 1 b                | Expected end of statement at 1:31 near 'b'",
        "SELECT a # b FROM 'x'                          | Unexpected character '#' at 1:10 near '#'",
        "SELECT cast(a AS Long) FROM 'x'                | Unknown type 'Long' in cast at 1:18 near 'Long'",
        "SELECT a FROM 'x' WHERE from = 1               | Unexpected keyword FROM at 1:25 near 'from'",
        "SELECT CASE a WHEN 1 THEN 2 FROM 'x'           | Expected END at 1:29 near 'FROM'",
        "SELECT decode(*, 'proto', 'b', 'f.desc', 'p', 'M') FROM 'x' | decode(..., 'proto', ...) is not available in Pylon",
      })
  void badStatement_isRefused_withPosition(String sql, String message) {
    assertThatThrownBy(() -> SqlStatement.compile(sql.strip(), V2016))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith(message.strip());
  }

  @Test
  void errorOnSecondLine_namesLineAndColumn() {
    assertThatThrownBy(() -> SqlStatement.compile("SELECT a\nFROM 'x'\nWHERE a = = 1", V2016))
        .isInstanceOf(SqlParseException.class)
        .hasMessage("Unexpected '=' at 3:11 near '='");
  }

  @Test
  void newerFunction_underOldVersion_isRefusedNamingTheVersion() {
    assertThatThrownBy(
            () -> SqlStatement.compile("SELECT indexof(a, 'b') FROM 'x'", SqlVersion.V2015_10_08))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith("Function indexof() requires SQL version 2016-03-23 at 1:8");
    assertThatThrownBy(
            () -> SqlStatement.compile("SELECT [1] AS a FROM 'x'", SqlVersion.V2015_10_08))
        .hasMessageStartingWith("An array literal requires SQL version 2016-03-23 at 1:8");
    assertThatThrownBy(
            () ->
                SqlStatement.compile(
                    "SELECT (SELECT a FROM b) AS a FROM 'x'", SqlVersion.V2015_10_08))
        .hasMessageStartingWith("A nested SELECT requires SQL version 2016-03-23 at 1:9");
  }

  @Test
  void emptyStatement_isRefused() {
    assertThatThrownBy(() -> SqlStatement.compile("  ", V2016))
        .isInstanceOf(SqlParseException.class)
        .hasMessage("Empty SQL statement");
  }

  @Test
  void compiledStatement_exposesFilterVersionAndText() {
    SqlStatement s = SqlStatement.compile("SELECT * FROM 'sensors/+/telemetry' WHERE a > 1", V2016);
    assertThat(s.topicFilter()).contains("sensors/+/telemetry");
    assertThat(s.version()).isEqualTo(V2016);
    assertThat(s.sql()).isEqualTo("SELECT * FROM 'sensors/+/telemetry' WHERE a > 1");
    assertThat(SqlStatement.compile("SELECT * WHERE a > 1", V2016).topicFilter()).isEmpty();
  }

  @Test
  void externalFunctionCalls_areReported() {
    assertThat(SqlStatement.compile("SELECT upper(a) FROM 'x'", V2016).callsExternalFunctions())
        .isFalse();
    assertThat(
            SqlStatement.compile(
                    "SELECT * FROM 'x' WHERE get_thing_shadow('t', 'arn').state.reported.on", V2016)
                .callsExternalFunctions())
        .isTrue();
    assertThat(
            SubstitutionTemplate.compile("${get_secret('s', 'SecretString', 'arn')}", V2016)
                .callsExternalFunctions())
        .isTrue();
    assertThat(SubstitutionTemplate.compile("a/${topic()}", V2016).callsExternalFunctions())
        .isFalse();
  }

  @Test
  void versionWireNames_roundTrip_andNullIsTheAwsDefault() {
    for (SqlVersion v : SqlVersion.values()) {
      assertThat(SqlVersion.fromWire(v.wireName())).isEqualTo(v);
    }
    assertThat(SqlVersion.fromWire(null)).isEqualTo(SqlVersion.V2015_10_08);
    assertThatThrownBy(() -> SqlVersion.fromWire("2017-01-01"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("2017-01-01");
  }
}
