package io.pylon.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The rules engine's counters as a Prometheus scrape shows them ({@code pylon_rules_*_total}), and
 * what changed between two scrapes. Only Pylon has them; the scenario works without them.
 */
final class RuleCounters {

  static final String PREFIX = "pylon_rules_";

  private RuleCounters() {}

  /**
   * Counter series from Prometheus text: {@code name{labels}} (labels as written, without a
   * trailing comma) to value. Gauges, histograms and comments are skipped.
   */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith(PREFIX)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String series = line.substring(0, space).trim().replace(",}", "}");
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      if (!name.endsWith("_total")) {
        continue;
      }
      try {
        out.put(series, Double.parseDouble(line.substring(space + 1).trim()));
      } catch (NumberFormatException e) {
        // Not a sample line; Prometheus text allows a timestamp after the value, which we never
        // see.
      }
    }
    return out;
  }

  /** Series that grew between {@code before} and {@code after}, by how much. */
  static Map<String, Long> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (series, value) -> {
          long d = Math.round(value - before.getOrDefault(series, 0.0));
          if (d != 0) {
            out.put(series, d);
          }
        });
    return out;
  }

  /**
   * Rule work lost or failed: messages dropped before evaluation, evaluation errors, and action
   * runs that failed or were refused by a full lane.
   */
  static long failures(Map<String, Long> delta) {
    long sum = 0;
    for (Map.Entry<String, Long> e : delta.entrySet()) {
      String s = e.getKey();
      if (s.startsWith(PREFIX + "messages_dropped_total")
          || s.startsWith(PREFIX + "errors_total")
          || s.startsWith(PREFIX + "actions_total")
              && (s.contains("outcome=\"failed\"") || s.contains("outcome=\"dropped\""))) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
