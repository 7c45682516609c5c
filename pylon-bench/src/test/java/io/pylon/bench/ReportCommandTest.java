package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCommandTest {

  private static RunResult.Messages fanIn(
      String target, String mode, double rate, double perSecond, double p99Us, Double cpuPer1m) {
    return new RunResult.Messages(
        "fan-in",
        target,
        mode,
        "2026-01-01T00:00:00Z",
        "3.1.1",
        0,
        64,
        10,
        1,
        100,
        rate,
        1000,
        1000,
        1000,
        0,
        0,
        List.of(),
        1.0,
        perSecond,
        perSecond,
        new LatencySummary(1000, 100.0, p99Us, 900.0, 1000.0, 120.0),
        42L,
        1.0,
        cpuPer1m,
        1.0,
        8000L,
        0.5,
        0,
        "epoll",
        1);
  }

  private static List<JsonNode> asJson(RunResult... results) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (RunResult r : results) {
      nodes.add(Json.MAPPER.readTree(Json.line(r)));
    }
    return nodes;
  }

  @Test
  void summary_onlyMosquittoMeasured_leavesPylonColumnEmpty() throws Exception {
    List<JsonNode> results =
        asJson(
            fanIn("mosquitto", "peak", 0, 200_000, 2_500, 4.0),
            fanIn("mosquitto", "fixed", 100_000, 100_000, 800, 3.5));

    String table =
        ReportCommand.summary(results, "results/2026-01-01.md", List.of("load average 0.5"));

    assertThat(table).contains("| scenario | metric | Mosquitto | Pylon |");
    assertThat(table)
        .contains("| fan-in (10 → 1, QoS 0, 64 B) | peak deliveries/s | 200,000 | – |");
    assertThat(table).contains("|  | p99 latency at peak (ms) | 2.500 | – |");
    assertThat(table)
        .contains("|  | server CPU-s per 1M deliveries at 100,000 msg/s published | 3.50 | – |");
    assertThat(table)
        .contains("[2026-01-01.md](results/2026-01-01.md)")
        .contains("load average 0.5");
  }

  @Test
  void summary_failedRun_showsFailedInItsCell() throws Exception {
    List<JsonNode> results =
        asJson(
            fanIn("mosquitto", "peak", 0, 200_000, 2_500, 4.0),
            new RunResult.Failed(
                "fan-in",
                "pylon",
                "peak",
                "2026-01-01T00:00:00Z",
                "connect refused",
                1,
                List.of("x (1)")));

    assertThat(ReportCommand.summary(results, null, List.of()))
        .contains("| fan-in (10 → 1, QoS 0, 64 B) | peak deliveries/s | 200,000 | failed |");
  }

  @Test
  void replaceSummary_keepsEverythingOutsideTheMarkers() {
    String readme =
        "# Title\nintro\n"
            + ReportCommand.BEGIN
            + "\nold table\n"
            + ReportCommand.END
            + "\nafter\n";

    String updated = ReportCommand.replaceSummary(readme, "new table\n");

    assertThat(updated)
        .isEqualTo(
            "# Title\nintro\n"
                + ReportCommand.BEGIN
                + "\nnew table\n"
                + ReportCommand.END
                + "\nafter\n");
  }

  @Test
  void replaceSummary_withoutMarkers_failsRatherThanAppending() {
    assertThatThrownBy(() -> ReportCommand.replaceSummary("# no markers\n", "t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonLine_usesSnakeCaseAndOmitsAbsentValues() throws Exception {
    RunResult.Messages r = fanIn("mosquitto", "peak", 0, 1, 1, null);

    JsonNode json = Json.MAPPER.readTree(Json.line(r));

    assertThat(json.path("deliveries_per_s").asDouble()).isEqualTo(1.0);
    assertThat(json.path("latency").path("p999_us").asDouble()).isEqualTo(900.0);
    assertThat(json.has("server_cpu_s_per_1m")).isFalse();
  }

  private static RunResult.Shadow shadow(String target) {
    return new RunResult.Shadow(
        "shadow",
        target,
        "peak",
        "2026-01-01T00:00:00Z",
        "3.1.1",
        1,
        64,
        1000,
        1,
        30_000,
        29_990,
        10,
        java.util.Map.of("429", 10L),
        0,
        0,
        List.of(),
        10.0,
        2_999.0,
        new LatencySummary(29_990, 2_000.0, 9_500.0, 15_000.0, 30_000.0, 2_500.0),
        42L,
        12.0,
        0.4001,
        1.2,
        300_000L,
        5.0,
        "epoll",
        1);
  }

  @Test
  void shadowRun_summaryRowsAndPageTable() throws Exception {
    List<JsonNode> results = asJson(shadow("pylon"));

    String table = ReportCommand.summary(results, null, List.of());
    assertThat(table)
        .contains(
            "| shadow (1,000 devices, 1 in flight each, QoS 1) | accepted updates/s (durable) | – | 2,999 |")
        .contains("|  | p50 / p99 publish to accepted (ms) | – | 2.000 / 9.500 |")
        .contains("|  | rejected | – | 10 (429: 10) |")
        .contains("|  | server CPU-s per 1,000 updates | – | 0.400 |");

    ReportCommand report = new ReportCommand();
    String page = report.page(results);
    assertThat(page)
        .contains("## Device Shadow updates")
        .contains(
            "| pylon | 1,000 | 1 | 2,999 | 2.000 | 9.500 | 15.000 | 30.000 | 29,990 | 10 (429: 10) | 0 | 0 "
                + "| 12.00 | 1.20 | 0.400 | 5.00 |")
        .doesNotContain("## Message scenarios");
  }

  private static RunResult.Rules rules(
      int rules, String mode, double rate, double publishedPerS, double cpuPer1k) {
    boolean withRules = rules > 0;
    return new RunResult.Rules(
        "rules",
        "pylon",
        mode,
        "2026-01-01T00:00:00Z",
        "3.1.1",
        1,
        64,
        10,
        rules,
        withRules ? rules / 2 : 0,
        withRules ? rules / 2 : 0,
        100,
        100,
        rate,
        10_000,
        withRules ? 5_000 : 10_000,
        withRules ? 5_000 : 0,
        10_000,
        0,
        0,
        List.of(),
        2.0,
        publishedPerS,
        withRules ? publishedPerS / 2 : publishedPerS,
        withRules ? publishedPerS / 2 : 0,
        publishedPerS,
        new LatencySummary(5_000, 1_000.0, 4_000.0, 5_000.0, 6_000.0, 1_500.0),
        withRules
            ? new LatencySummary(5_000, 20_000.0, 90_000.0, 95_000.0, 99_000.0, 30_000.0)
            : null,
        withRules ? java.util.Map.of("pylon_rules_matched_total", 10_000L) : null,
        withRules ? 3L : null,
        42L,
        1.0,
        cpuPer1k,
        0.5,
        300_000L,
        0.4,
        0,
        "epoll",
        1);
  }

  @Test
  void rulesRuns_summaryShowsWithoutAndWithRulesSideBySide() throws Exception {
    List<JsonNode> results =
        asJson(
            rules(0, "peak", 0, 300_000, 0.002),
            rules(100, "peak", 0, 3_000, 0.3),
            rules(0, "fixed", 1_500, 1_500, 0.004),
            rules(100, "fixed", 1_500, 1_500, 0.25));

    String table = ReportCommand.summary(results, null, List.of());

    assertThat(table)
        .contains(
            "| rules (100 rules: 50 republish, 50 http; 10 publishers, QoS 1, 64 B)"
                + " | peak msg/s published: no rules / 100 rules | – | 300,000 / 3,000 |")
        .contains(
            "|  | p99 latency at peak (ms): no rules / 100 rules, republished; http | – "
                + "| 4.000 / 4.000; 90.000 |")
        .contains(
            "|  | p50 / p99 latency at 1,500 msg/s (ms): no rules; republished; http | – "
                + "| 1.000 / 4.000; 1.000 / 4.000; 20.000 / 90.000 |")
        .contains(
            "|  | server CPU-s per 1,000 messages at 1,500 msg/s: no rules / 100 rules | – "
                + "| 0.004 / 0.250 |")
        .contains(
            "|  | lost, and rule drops or failures, with rules: peak; fixed | – | 0 (3); 0 (3) |");
  }

  @Test
  void rulesRuns_failedBaseline_showsFailedInItsHalfOfTheCell() throws Exception {
    List<JsonNode> results =
        asJson(
            new RunResult.Failed(
                "rules",
                "pylon",
                "peak",
                "2026-01-01T00:00:00Z",
                RulesRun.BASELINE_FAILURE + "connect refused",
                1,
                List.of("x (1)")),
            rules(100, "peak", 0, 3_000, 0.3));

    assertThat(ReportCommand.summary(results, null, List.of()))
        .contains("| peak msg/s published: no rules / 100 rules | – | failed / 3,000 |");
  }

  @Test
  void rulesRuns_pageTable() throws Exception {
    String page = new ReportCommand().page(asJson(rules(100, "fixed", 1_500, 1_500, 0.25)));

    assertThat(page)
        .contains("## Topic rules")
        .contains(
            "| pylon | 100 rules: 50 republish, 50 http | 1,500/s | 1,500 | 750 | 750 | 1.000 | 4.000"
                + " | 20.000 | 90.000 | 0 | 3 | 0 | 1.00 | 0.50 | 0.250 | 0.40 |")
        .doesNotContain("## Message scenarios");
  }

  @Test
  void fixedRateRounds_summaryShowsTheRoundOfMedianP99_pageShowsEveryRound() throws Exception {
    List<JsonNode> results =
        asJson(
            fanIn("mosquitto", "peak", 0, 200_000, 2_500, 4.0),
            fanIn("pylon", "peak", 0, 400_000, 2_000, 2.0),
            fanIn("mosquitto", "fixed", 100_000, 100_000, 9_000, 3.1),
            fanIn("pylon", "fixed", 100_000, 100_000, 12_000, 2.1),
            fanIn("mosquitto", "fixed", 100_000, 100_000, 7_000, 3.2),
            fanIn("pylon", "fixed", 100_000, 100_000, 5_000, 2.2),
            fanIn("mosquitto", "fixed", 100_000, 100_000, 8_000, 3.3),
            fanIn("pylon", "fixed", 100_000, 100_000, 6_000, 2.3));

    String table = ReportCommand.summary(results, null, List.of());

    assertThat(table)
        .contains(
            "|  | p50 / p99 latency at 100,000 msg/s published, round of median p99 of 3 (ms)"
                + " | 0.100 / 8.000 | 0.100 / 6.000 |")
        .contains(
            "|  | server CPU-s per 1M deliveries at 100,000 msg/s published, round of median p99"
                + " of 3 | 3.30 | 2.30 |");
    String page = new ReportCommand().page(results);
    assertThat(page)
        .contains("| pylon | 100,000/s, round 1 of 3 |")
        .contains("| pylon | 100,000/s, round 3 of 3 |")
        .contains("| mosquitto | peak |")
        .doesNotContain("peak, round");
  }
}
