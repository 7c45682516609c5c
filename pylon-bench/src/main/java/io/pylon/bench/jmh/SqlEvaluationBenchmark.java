package io.pylon.bench.jmh;

import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.domain.rules.sql.SqlEnvironment;
import io.pylon.domain.rules.sql.SqlResult;
import io.pylon.domain.rules.sql.SqlStatement;
import io.pylon.domain.rules.sql.SqlVersion;
import io.pylon.domain.rules.sql.SubstitutionTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A topic rule's SQL on one message, as the rules engine pays it per matching rule: {@code SELECT
 * a, b.c AS d FROM 't/+' WHERE e > 10} on a ~100-byte telemetry payload. {@code parseAndEvaluate}
 * includes building the message and parsing its payload (the first rule on a message pays that);
 * {@code preParsed} is every further rule on the same message. Both include writing the output
 * JSON. Also: a WHERE that filters the message out, {@code SELECT *} with an added key, and
 * rendering a republish topic template.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SqlEvaluationBenchmark {

  static final byte[] PAYLOAD =
      ("{\"a\":\"pump-17\",\"b\":{\"c\":21.5,\"unit\":\"C\"},\"e\":42,"
              + "\"status\":\"running\",\"ts\":1700000000123,\"seq\":981}")
          .getBytes(StandardCharsets.UTF_8);

  private static final SqlEnvironment ENV =
      new SqlEnvironment() {
        @Override
        public String accountId() {
          return "123456789012";
        }

        @Override
        public long nowMillis() {
          return 1_700_000_000_000L;
        }

        @Override
        public Optional<String> thingShadow(String thingName, String shadowNameOrNull) {
          return Optional.empty();
        }

        @Override
        public String ruleName() {
          return "bench";
        }
      };

  private SqlStatement statement;
  private SqlStatement filtered;
  private SqlStatement starPlus;
  private SubstitutionTemplate topicTemplate;
  private IncomingMessage parsed;

  @Setup
  public void setUp() {
    statement =
        SqlStatement.compile("SELECT a, b.c AS d FROM 't/+' WHERE e > 10", SqlVersion.V2016_03_23);
    filtered =
        SqlStatement.compile("SELECT a, b.c AS d FROM 't/+' WHERE e > 100", SqlVersion.V2016_03_23);
    starPlus =
        SqlStatement.compile(
            "SELECT *, topic(2) AS device, timestamp() AS received FROM 't/+'",
            SqlVersion.V2016_03_23);
    topicTemplate = SubstitutionTemplate.compile("alerts/${topic(2)}/${a}", SqlVersion.V2016_03_23);
    parsed = message();
    SqlResult warm = statement.evaluate(parsed, ENV);
    if (!warm.payloadText().equals("{\"a\":\"pump-17\",\"d\":21.5}")) {
      throw new IllegalStateException("unexpected output " + warm.payloadText());
    }
  }

  private static IncomingMessage message() {
    return IncomingMessage.builder("t/pump-17", PAYLOAD)
        .clientId("pump-17")
        .timestampMillis(1_700_000_000_000L)
        .build();
  }

  @Benchmark
  public SqlResult parseAndEvaluate() {
    return statement.evaluate(message(), ENV);
  }

  @Benchmark
  public SqlResult preParsed() {
    return statement.evaluate(parsed, ENV);
  }

  @Benchmark
  public SqlResult whereFalse() {
    return filtered.evaluate(message(), ENV);
  }

  @Benchmark
  public SqlResult selectStarWithExtras() {
    return starPlus.evaluate(message(), ENV);
  }

  @Benchmark
  public String renderTopicTemplate() {
    return topicTemplate.render(parsed, ENV);
  }
}
