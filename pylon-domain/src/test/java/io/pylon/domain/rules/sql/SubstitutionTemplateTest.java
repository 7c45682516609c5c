package io.pylon.domain.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.SqlParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubstitutionTemplateTest {

  private static final String PAYLOAD =
      "{\"deviceid\":\"iot123\",\"temp\":54.98,\"coords\":{\"latitude\":47.6},"
          + "\"tags\":[\"a\",\"b\"],\"n\":null,\"w\":10.0}";

  private static String render(String template, SqlVersion version) {
    return SubstitutionTemplate.compile(template, version)
        .render(TestMessages.message("my/iot/topic", PAYLOAD), TestMessages.ENV);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "${topic()}/republish                     | my/iot/topic/republish",
        "alerts/${topic(2)}                        | alerts/iot",
        "${deviceid}-${temp}                       | iot123-54.98",
        "${coords.latitude}                        | 47.6",
        "${coords}                                 | {\"latitude\":47.6}",
        "${tags}                                   | [\"a\",\"b\"]",
        "x${missing}y                              | xy",
        "x${n}y                                    | xy",
        "${upper(deviceid)}/${temp > 50}           | IOT123/true",
        "${concat(deviceid, '}')}                  | iot123}",
        "${get({'a': 'b}'}, 'a')}                  | b}",
        "${clientid()}:${accountid()}              | device-7:123456789012",
        "${parse_time('yyyy', timestamp(), 'UTC')} | 2016",
        "${w}                                      | 10",
        "$100 and {braces} and $ {x}               | $100 and {braces} and $ {x}",
        "${'a'}${'b'}                              | ab",
      })
  void template_rendersAgainstIncomingMessage(String template, String expected) {
    assertThat(render(template.strip(), SqlVersion.V2016_03_23)).isEqualTo(expected.strip());
  }

  @Test
  void wholeDecimal_keepsItsFraction_under2015() {
    assertThat(render("${w}", SqlVersion.V2015_10_08)).isEqualTo("10.0");
  }

  @Test
  void textWithoutExpressions_isConstant() {
    SubstitutionTemplate t = SubstitutionTemplate.compile("plain/topic", SqlVersion.V2016_03_23);
    assertThat(t.isConstant()).isTrue();
    assertThat(t.render(TestMessages.message("x", "{}"), TestMessages.ENV))
        .isEqualTo("plain/topic");
    assertThat(SubstitutionTemplate.compile("a/${topic()}", SqlVersion.V2016_03_23).isConstant())
        .isFalse();
  }

  @Test
  void binaryPayload_fieldsRenderEmpty_functionsStillWork() {
    SubstitutionTemplate t =
        SubstitutionTemplate.compile(
            "${topic(1)}/${a}/${encode(*, 'base64')}", SqlVersion.V2016_03_23);
    assertThat(
            t.render(
                TestMessages.message("raw/x", new byte[] {0, 1, 2, (byte) 0xff}), TestMessages.ENV))
        .isEqualTo("raw//AAEC/w==");
  }

  @Test
  void badExpression_isRefusedWithPosition() {
    assertThatThrownBy(() -> SubstitutionTemplate.compile("a/${topic(}", SqlVersion.V2016_03_23))
        .isInstanceOf(SqlParseException.class)
        .hasMessageContaining("at 1:11");
    assertThatThrownBy(() -> SubstitutionTemplate.compile("a/${topic()", SqlVersion.V2016_03_23))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith("Expected } at 1:12");
    assertThatThrownBy(() -> SubstitutionTemplate.compile("${nosuch()}", SqlVersion.V2016_03_23))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith("Unknown function 'nosuch' at 1:3");
  }

  @Test
  void ruleTemplate_seesTheStatementsSetVariables() {
    SqlStatement rule =
        SqlStatement.compile(
            "SET @device = upper(deviceid), @hot = temp > 50 SELECT * FROM 'my/iot/topic'",
            SqlVersion.V2016_03_23);
    assertThat(rule.variableNames()).containsExactly("device", "hot");
    SubstitutionTemplate t = SubstitutionTemplate.compile("alerts/${@device}/${@hot}", rule);
    assertThat(t.render(TestMessages.message("my/iot/topic", PAYLOAD), TestMessages.ENV))
        .isEqualTo("alerts/IOT123/true");
    assertThatThrownBy(() -> SubstitutionTemplate.compile("${@device}", SqlVersion.V2016_03_23))
        .isInstanceOf(SqlParseException.class)
        .hasMessageStartingWith("Unknown variable @device at 1:3");
  }

  @Test
  void externalFunction_failsTheRenderForTheErrorAction() {
    SubstitutionTemplate t =
        SubstitutionTemplate.compile(
            "${get_secret('API_KEY', 'SecretString', 'API_KEY_VALUE', 'arn:aws:iam::1:role/r')}",
            SqlVersion.V2016_03_23);
    assertThatThrownBy(() -> t.render(TestMessages.message("x", "{}"), TestMessages.ENV))
        .isInstanceOf(RuleEvaluationException.class)
        .hasMessageContaining("get_secret()")
        .hasMessageContaining("not available in Pylon");
  }
}
