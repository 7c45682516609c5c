package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleCountersTest {

  private static final String BEFORE =
      """
      # HELP pylon_rules_messages_total Messages offered to at least one rule
      # TYPE pylon_rules_messages_total counter
      pylon_rules_messages_total 100.0
      pylon_rules_messages_dropped_total{reason="queue_full",} 0.0
      pylon_rules_actions_total{action="HttpAction",outcome="succeeded",} 40.0
      pylon_rules_outbound_requests_inflight 12.0
      pylon_mqtt_connections_total 5.0
      """;

  private static final String AFTER =
      """
      pylon_rules_messages_total 1100.0
      pylon_rules_messages_dropped_total{reason="queue_full",} 7.0
      pylon_rules_actions_total{action="HttpAction",outcome="succeeded",} 480.0
      pylon_rules_actions_total{action="HttpAction",outcome="failed",} 3.0
      pylon_rules_actions_total{action="RepublishAction",outcome="dropped",} 2.0
      pylon_rules_errors_total 1.0
      pylon_rules_outbound_requests_inflight 64.0
      """;

  @Test
  void parse_keepsRuleCountersOnly_withoutTrailingLabelCommas() {
    Map<String, Double> c = RuleCounters.parse(BEFORE);

    assertThat(c)
        .containsOnlyKeys(
            "pylon_rules_messages_total",
            "pylon_rules_messages_dropped_total{reason=\"queue_full\"}",
            "pylon_rules_actions_total{action=\"HttpAction\",outcome=\"succeeded\"}");
    assertThat(c.get("pylon_rules_messages_total")).isEqualTo(100.0);
  }

  @Test
  void delta_reportsWhatGrew_includingSeriesThatAppeared() {
    Map<String, Long> d = RuleCounters.delta(RuleCounters.parse(BEFORE), RuleCounters.parse(AFTER));

    assertThat(d)
        .containsEntry("pylon_rules_messages_total", 1000L)
        .containsEntry("pylon_rules_actions_total{action=\"HttpAction\",outcome=\"failed\"}", 3L)
        .doesNotContainKey("pylon_rules_outbound_requests_inflight");
  }

  @Test
  void failures_sumDropsErrorsAndFailedOrDroppedActions() {
    Map<String, Long> d = RuleCounters.delta(RuleCounters.parse(BEFORE), RuleCounters.parse(AFTER));

    // 7 queue_full + 3 failed + 2 dropped + 1 error; succeeded runs do not count.
    assertThat(RuleCounters.failures(d)).isEqualTo(13);
  }
}
