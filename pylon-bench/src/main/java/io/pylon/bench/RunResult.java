package io.pylon.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one scenario run reports: a human table on the console and one JSON line for tooling. */
sealed interface RunResult
    permits RunResult.Messages,
        RunResult.Shadow,
        RunResult.Rules,
        RunResult.Idle,
        RunResult.Failed {

  String scenario();

  String target();

  long errors();

  void printTable(PrintStream out);

  /**
   * A message scenario (fan-in, fan-out, p2p). Rates are over the measured phase: from the end of
   * the warm-up to the last measured delivery. Server CPU is sampled from {@code /proc} at the same
   * two instants (the second one after draining), so {@code serverCpuPer1m} is the server's CPU
   * time per million deliveries.
   */
  record Messages(
      String scenario,
      String target,
      String mode,
      String startedAt,
      String protocol,
      int qos,
      int payloadBytes,
      int publishers,
      int subscribers,
      int inflight,
      double rateTarget,
      long published,
      long deliveriesExpected,
      long deliveries,
      long lost,
      long errors,
      List<String> errorKinds,
      double elapsedS,
      double deliveriesPerS,
      double publishesPerS,
      LatencySummary latency,
      Long serverPid,
      Double serverCpuS,
      @JsonProperty("server_cpu_s_per_1m") Double serverCpuPer1m,
      Double serverCores,
      Long serverRssKb,
      Double toolCpuS,
      long windowWriteOffs,
      String transport,
      int threads)
      implements RunResult {

    @Override
    public void printTable(PrintStream out) {
      row(
          out,
          "scenario",
          scenario
              + " ("
              + publishers
              + " pub, "
              + subscribers
              + " sub, QoS "
              + qos
              + ", "
              + payloadBytes
              + " B, MQTT "
              + protocol
              + ")");
      row(out, "target", target + (serverPid == null ? "" : " (pid " + serverPid + ")"));
      row(
          out,
          "rate",
          mode.equals("peak")
              ? "peak (in-flight window " + inflight + " per publisher)"
              : fmt("fixed %,.0f msg/s published", rateTarget));
      row(
          out,
          "delivered",
          fmt(
              "%,d of %,d (lost %,d), published %,d",
              deliveries, deliveriesExpected, lost, published));
      row(out, "errors", errors == 0 ? "0" : errors + "  " + String.join("; ", errorKinds));
      row(
          out,
          "throughput",
          fmt(
              "%,.0f msg/s delivered, %,.0f msg/s published, over %.2f s",
              deliveriesPerS, publishesPerS, elapsedS));
      row(
          out,
          "latency",
          latency.count() == 0
              ? "n/a"
              : fmt(
                  "p50 %s  p99 %s  p99.9 %s  max %s (ms)",
                  ms(latency.p50Us()),
                  ms(latency.p99Us()),
                  ms(latency.p999Us()),
                  ms(latency.maxUs())));
      if (serverCpuS != null) {
        row(
            out,
            "server cpu",
            fmt(
                "%.2f s (%.2f cores), %.2f cpu-s per 1M deliveries, RSS %,d kB",
                serverCpuS,
                serverCores,
                serverCpuPer1m == null ? Double.NaN : serverCpuPer1m,
                serverRssKb));
      }
      if (toolCpuS != null) {
        row(
            out,
            "tool cpu",
            fmt("%.2f s (%s, %d thread%s)", toolCpuS, transport, threads, threads == 1 ? "" : "s"));
      }
      if (windowWriteOffs > 0) {
        row(
            out,
            "note",
            windowWriteOffs + " stalled window(s) written off after deliveries stopped");
      }
    }
  }

  /**
   * The shadow scenario: shadow updates answered per second. Counts and rates cover requests sent
   * in the measured phase; the phase ends at the last measured answer. Latency is from publishing
   * an update to receiving its {@code /update/accepted}, for accepted updates only. {@code
   * serverCpuPer1k} is the server's CPU time per 1,000 accepted updates.
   */
  record Shadow(
      String scenario,
      String target,
      String mode,
      String startedAt,
      String protocol,
      int qos,
      int payloadBytes,
      int devices,
      int inflight,
      long updatesSent,
      long accepted,
      long rejected,
      Map<String, Long> rejectedByCode,
      long unanswered,
      long errors,
      List<String> errorKinds,
      double elapsedS,
      double acceptedPerS,
      LatencySummary latency,
      Long serverPid,
      Double serverCpuS,
      @JsonProperty("server_cpu_s_per_1k") Double serverCpuPer1k,
      Double serverCores,
      Long serverRssKb,
      Double toolCpuS,
      String transport,
      int threads)
      implements RunResult {

    @Override
    public void printTable(PrintStream out) {
      row(
          out,
          "scenario",
          fmt(
              "shadow (%,d devices, %d in flight each, QoS %d, %d B updates, MQTT %s)",
              devices, inflight, qos, payloadBytes, protocol));
      row(out, "target", target + (serverPid == null ? "" : " (pid " + serverPid + ")"));
      row(
          out,
          "answered",
          fmt(
              "%,d accepted, %,d rejected %s, %,d unanswered, of %,d sent",
              accepted, rejected, rejectedByCode, unanswered, updatesSent));
      row(out, "errors", errors == 0 ? "0" : errors + "  " + String.join("; ", errorKinds));
      row(out, "throughput", fmt("%,.0f accepted updates/s over %.2f s", acceptedPerS, elapsedS));
      row(
          out,
          "latency",
          latency.count() == 0
              ? "n/a"
              : fmt(
                  "p50 %s  p99 %s  p99.9 %s  max %s (ms, publish to accepted)",
                  ms(latency.p50Us()),
                  ms(latency.p99Us()),
                  ms(latency.p999Us()),
                  ms(latency.maxUs())));
      if (serverCpuS != null) {
        row(
            out,
            "server cpu",
            fmt(
                "%.2f s (%.2f cores), %.3f cpu-s per 1,000 accepted updates, RSS %,d kB",
                serverCpuS,
                serverCores,
                serverCpuPer1k == null ? Double.NaN : serverCpuPer1k,
                serverRssKb));
      }
      if (toolCpuS != null) {
        row(
            out,
            "tool cpu",
            fmt("%.2f s (%s, %d thread%s)", toolCpuS, transport, threads, threads == 1 ? "" : "s"));
      }
    }
  }

  /**
   * The rules scenario, with rules or without (the baseline, {@code rules == 0}). Each measured
   * publish should come back once: to the subscriber (republished, or directly without rules) or to
   * the HTTP sink. Rates are over the measured phase, which ends at the last measured arrival;
   * {@code latency} is publish to subscriber, {@code httpLatency} publish to sink. {@code
   * ruleCounters} are the server's {@code pylon_rules_*_total} counters that changed over the phase
   * (absent when it shows none), {@code ruleFailures} their drops, errors and failed actions.
   * {@code serverCpuPer1k} is the server's CPU time per 1,000 messages published.
   */
  record Rules(
      String scenario,
      String target,
      String mode,
      String startedAt,
      String protocol,
      int qos,
      int payloadBytes,
      int publishers,
      int rules,
      int republishRules,
      int httpRules,
      int topics,
      int inflight,
      double rateTarget,
      long published,
      long subscriberDeliveries,
      long sinkRequests,
      long arrived,
      long lost,
      long errors,
      List<String> errorKinds,
      double elapsedS,
      double publishesPerS,
      double subscriberDeliveriesPerS,
      double sinkRequestsPerS,
      double arrivedPerS,
      LatencySummary latency,
      LatencySummary httpLatency,
      Map<String, Long> ruleCounters,
      Long ruleFailures,
      Long serverPid,
      Double serverCpuS,
      @JsonProperty("server_cpu_s_per_1k") Double serverCpuPer1k,
      Double serverCores,
      Long serverRssKb,
      Double toolCpuS,
      long windowWriteOffs,
      String transport,
      int threads)
      implements RunResult {

    @Override
    public void printTable(PrintStream out) {
      row(
          out,
          "scenario",
          rules == 0
              ? fmt(
                  "rules baseline: no rules (%d pub over %d topics, 1 sub, QoS %d, %d B, MQTT %s)",
                  publishers, topics, qos, payloadBytes, protocol)
              : fmt(
                  "rules: %d rules (%d republish, %d http), %d pub, QoS %d, %d B, MQTT %s",
                  rules, republishRules, httpRules, publishers, qos, payloadBytes, protocol));
      row(out, "target", target + (serverPid == null ? "" : " (pid " + serverPid + ")"));
      row(
          out,
          "rate",
          mode.equals("peak")
              ? "peak (in-flight window " + inflight + " per publisher)"
              : fmt("fixed %,.0f msg/s published", rateTarget));
      row(
          out,
          "arrived",
          fmt(
              "%,d of %,d published (lost %,d): %,d at the subscriber, %,d at the HTTP sink",
              arrived, published, lost, subscriberDeliveries, sinkRequests));
      row(out, "errors", errors == 0 ? "0" : errors + "  " + String.join("; ", errorKinds));
      row(
          out,
          "throughput",
          fmt(
              "%,.0f msg/s published, %,.0f/s to the subscriber, %,.0f/s to the sink, over %.2f s",
              publishesPerS, subscriberDeliveriesPerS, sinkRequestsPerS, elapsedS));
      row(
          out,
          "latency",
          latencyText(latency, rules == 0 ? "publish to subscriber" : "republished"));
      if (httpLatency != null) {
        row(out, "http", latencyText(httpLatency, "publish to sink"));
      }
      if (ruleCounters != null) {
        row(
            out,
            "rule engine",
            fmt("%,d dropped or failed; counters %s", ruleFailures, ruleCounters));
      }
      if (serverCpuS != null) {
        row(
            out,
            "server cpu",
            fmt(
                "%.2f s (%.2f cores), %.3f cpu-s per 1,000 messages, RSS %,d kB",
                serverCpuS,
                serverCores,
                serverCpuPer1k == null ? Double.NaN : serverCpuPer1k,
                serverRssKb));
      }
      if (toolCpuS != null) {
        row(
            out,
            "tool cpu",
            fmt("%.2f s (%s, %d thread%s)", toolCpuS, transport, threads, threads == 1 ? "" : "s"));
      }
      if (windowWriteOffs > 0) {
        row(out, "note", windowWriteOffs + " stalled window(s) written off after arrivals stopped");
      }
    }

    private static String latencyText(LatencySummary l, String what) {
      return l == null || l.count() == 0
          ? "n/a"
          : fmt(
              "p50 %s  p99 %s  p99.9 %s  max %s (ms, %s)",
              ms(l.p50Us()), ms(l.p99Us()), ms(l.p999Us()), ms(l.maxUs()), what);
    }
  }

  /**
   * The idle-connections scenario: how fast the server accepts connections, and what holding them
   * costs in resident memory (sampled at the end of the hold, when the server has settled).
   */
  record Idle(
      String scenario,
      String target,
      String startedAt,
      String protocol,
      int connectionsRequested,
      int connected,
      int failed,
      double connectS,
      double connectsPerS,
      double holdS,
      long errors,
      List<String> errorKinds,
      Long serverPid,
      Long serverRssBeforeKb,
      Long serverRssAfterKb,
      Double serverRssPerConnectionKb,
      Double serverCpuConnectS,
      String transport,
      int threads)
      implements RunResult {

    @Override
    public void printTable(PrintStream out) {
      row(
          out,
          "scenario",
          "idle (" + connectionsRequested + " connections, MQTT " + protocol + ")");
      row(out, "target", target + (serverPid == null ? "" : " (pid " + serverPid + ")"));
      row(
          out,
          "connected",
          fmt(
              "%,d of %,d (failed %,d) in %.2f s = %,.0f connections/s",
              connected, connectionsRequested, failed, connectS, connectsPerS));
      row(out, "errors", errors == 0 ? "0" : errors + "  " + String.join("; ", errorKinds));
      if (serverRssAfterKb != null) {
        row(
            out,
            "server rss",
            fmt(
                "%,d kB before, %,d kB with connections held %.0f s: %.2f kB per connection",
                serverRssBeforeKb, serverRssAfterKb, holdS, serverRssPerConnectionKb));
        row(out, "server cpu", fmt("%.2f s to accept the connections", serverCpuConnectS));
      }
    }
  }

  /**
   * A run that could not complete (for example, subscribers could not connect); reported, not
   * thrown.
   */
  record Failed(
      String scenario,
      String target,
      String mode,
      String startedAt,
      String failure,
      long errors,
      List<String> errorKinds)
      implements RunResult {

    @Override
    public void printTable(PrintStream out) {
      row(out, "scenario", scenario + " (" + mode + ")");
      row(out, "target", target);
      row(out, "FAILED", failure);
      if (errors > 0) {
        row(out, "errors", errors + "  " + String.join("; ", errorKinds));
      }
    }
  }

  private static void row(PrintStream out, String key, String value) {
    out.printf(Locale.ROOT, "  %-11s %s%n", key, value);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String ms(Double micros) {
    return micros == null ? "n/a" : fmt("%.3f", micros / 1000.0);
  }
}
