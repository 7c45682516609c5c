package io.pylon.bench.jmh;

import io.pylon.mqtt.topic.TopicFilter;
import io.pylon.mqtt.topic.TopicRules;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic validation, paid once per inbound PUBLISH (checkTopicName) and once per filter of a
 * SUBSCRIBE (parseFilter), with the AWS profile's rules, which do the most work: the {@code
 * $aws/rules/} prefix, the reserved-topic check and the UTF-8 byte count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TopicRulesBenchmark {

  @Param({"short", "telemetry", "basicIngest", "shadow", "long", "unicode"})
  public String kind;

  private final TopicRules aws = new TopicRules(256, 8, false);
  private String topic;
  private String filter;

  @Setup
  public void setUp() {
    switch (kind) {
      case "short":
        topic = "a/b";
        filter = "a/+";
        break;
      case "telemetry":
        topic = "dt/fleet-17/device-000123/telemetry";
        filter = "dt/fleet-17/+/telemetry";
        break;
      case "basicIngest":
        topic = "$aws/rules/telemetry_rule/dt/fleet-17/device-000123";
        filter = "$share/ingest/dt/fleet-17/#";
        break;
      case "shadow":
        topic = "$aws/things/device-000123/shadow/name/config/update";
        filter = "$aws/things/device-000123/shadow/name/+/update/accepted";
        break;
      case "long":
        // Near the 256-byte limit: the byte count walks every character.
        topic = "dt/" + "x".repeat(240) + "/telemetry";
        filter = "dt/" + "x".repeat(240) + "/+";
        break;
      case "unicode":
        topic = "capteurs/température/été/😀/mesure";
        filter = "capteurs/température/+/😀/#";
        break;
      default:
        throw new IllegalArgumentException(kind);
    }
    if (aws.checkTopicName(topic) != TopicRules.Verdict.OK || aws.parseFilter(filter) == null) {
      throw new IllegalStateException("benchmark input must be valid: " + topic + " / " + filter);
    }
  }

  @Benchmark
  public TopicRules.Verdict checkTopicName() {
    return aws.checkTopicName(topic);
  }

  @Benchmark
  public TopicFilter parseFilter() {
    return aws.parseFilter(filter);
  }
}
