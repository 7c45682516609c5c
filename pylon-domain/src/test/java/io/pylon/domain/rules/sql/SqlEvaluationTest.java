package io.pylon.domain.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour outside the golden table: message metadata defaults, errors, sharing, threads. */
class SqlEvaluationTest {

  private static final SqlVersion V2016 = SqlVersion.V2016_03_23;

  private static SqlResult run(String sql, IncomingMessage m) {
    return SqlStatement.compile(sql, V2016).evaluate(m, TestMessages.ENV);
  }

  @Test
  void messageNotFromMqtt_hasClientIdNa_andNoTraceIdPrincipalOrProperties() {
    IncomingMessage m = IncomingMessage.of("a/b", "{}".getBytes(StandardCharsets.UTF_8));
    SqlResult r =
        run(
            "SELECT clientid() AS c, traceid() AS t, principal() AS p, sourceip() AS ip,"
                + " get_mqtt_property('content_type') AS ct, get_user_properties() AS up FROM 'a/b'",
            m);
    assertThat(r.payloadText()).isEqualTo("{\"c\":\"n/a\"}");
  }

  @Test
  void messageWithEveryField_feedsTheMetadataFunctions() {
    IncomingMessage m =
        IncomingMessage.of(
            "dt/pump-1",
            "{\"v\":1}".getBytes(StandardCharsets.UTF_8),
            "pump-1",
            "abcdef",
            "192.0.2.1",
            1_700_000_000_000L,
            "trace-9",
            "text/plain",
            0,
            "replies/pump-1",
            new byte[] {1, 2, 3},
            List.of(Map.entry("k", "v")));
    SqlResult r =
        run(
            "SELECT clientid() AS c, principal() AS p, sourceip() AS ip, traceid() AS t,"
                + " get_mqtt_property('content_type') AS ct, get_mqtt_property('format_indicator') AS f,"
                + " get_mqtt_property('response_topic') AS rt, get_mqtt_property('correlation_data') AS cd,"
                + " get_user_properties('k') AS up, topic(2) AS dev FROM 'dt/+'",
            m);
    assertThat(r.payloadText())
        .isEqualTo(
            "{\"c\":\"pump-1\",\"p\":\"abcdef\",\"ip\":\"192.0.2.1\",\"t\":\"trace-9\","
                + "\"ct\":\"text/plain\",\"f\":\"UNSPECIFIED_BYTES\",\"rt\":\"replies/pump-1\","
                + "\"cd\":\"AQID\",\"up\":[\"v\"],\"dev\":\"pump-1\"}");
    assertThat(m.timestampMillis()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void formatIndicatorZero_isUnspecifiedBytes() {
    IncomingMessage m =
        IncomingMessage.builder("a", new byte[] {1}).payloadFormatIndicator(0).build();
    assertThat(run("SELECT VALUE get_mqtt_property('format_indicator') FROM 'a'", m).payloadText())
        .isEqualTo("\"UNSPECIFIED_BYTES\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT aws_lambda('arn:aws:lambda:us-east-1:1:function:f', *) AS out FROM 'a'",
        "SELECT get_dynamodb('t', 'id', 1, 'arn:aws:iam::1:role/r').location AS l FROM 'a'",
        "SELECT get_secret('s', 'SecretString', 'arn:aws:iam::1:role/r') AS s FROM 'a'",
        "SELECT machinelearning_predict('m', 'arn:aws:iam::1:role/r', *) AS p FROM 'a'",
        "SELECT * FROM 'a' WHERE get_registry_data('thing') = 1",
      })
  void externalServiceFunction_throwsRuleEvaluationException(String sql) {
    SqlStatement s = SqlStatement.compile(sql, V2016);
    assertThatThrownBy(() -> s.evaluate(TestMessages.message("a", "{}"), TestMessages.ENV))
        .isInstanceOf(RuleEvaluationException.class)
        .hasMessageContaining("is not available in Pylon")
        .hasMessageContaining("test_rule");
  }

  @Test
  void nonMatchingWhere_hasNoPayload() {
    SqlResult r = run("SELECT * FROM 'a' WHERE x = 2", TestMessages.message("a", "{\"x\":1}"));
    assertThat(r).isEqualTo(SqlResult.NO_MATCH);
    assertThat(r.payload()).isEmpty();
  }

  @Test
  void manyRulesOnOneMessage_shareOneParse_andDoNotChangeIt() {
    IncomingMessage m = TestMessages.message("a", "{\"x\":{\"y\":1},\"z\":2}");
    SqlResult merged = run("SELECT *, 3 AS x.w FROM 'a'", m);
    assertThat(merged.payloadText()).isEqualTo("{\"x\":{\"y\":1,\"w\":3},\"z\":2}");
    Object first = m.parsed(true);
    assertThat(run("SELECT * FROM 'a'", m).payloadText()).isEqualTo("{\"x\":{\"y\":1},\"z\":2}");
    assertThat(m.parsed(true)).isSameAs(first);
    assertThat(m.isJson()).isTrue();
  }

  @Test
  void binaryPayload_isNotJson() {
    assertThat(TestMessages.message("a", new byte[] {(byte) 0xC3, 0x28}).isJson()).isFalse();
    assertThat(TestMessages.message("a", "{\"a\":1} trailing").isJson()).isFalse();
    assertThat(TestMessages.message("a", new byte[0]).isJson()).isFalse();
  }

  @Test
  void statement_isSafeToShareBetweenThreads() throws Exception {
    SqlStatement s =
        SqlStatement.compile(
            "SELECT a, b.c AS d, upper(s) AS u, (SELECT VALUE v FROM arr WHERE v > 1) AS big"
                + " FROM 't/+' WHERE e > 10",
            V2016);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2000; i++) {
                    String payload =
                        "{\"a\":"
                            + i
                            + ",\"b\":{\"c\":\"t"
                            + thread
                            + "\"},\"s\":\"x\",\"e\":11,"
                            + "\"arr\":[{\"v\":1},{\"v\":2}]}";
                    String out =
                        s.evaluate(TestMessages.message("t/1", payload), TestMessages.ENV)
                            .payloadText();
                    String expected =
                        "{\"a\":" + i + ",\"d\":\"t" + thread + "\",\"u\":\"X\",\"big\":[2]}";
                    if (!out.equals(expected)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
