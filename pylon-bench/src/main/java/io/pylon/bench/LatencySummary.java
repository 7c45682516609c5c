package io.pylon.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in microseconds, from a histogram recorded in nanoseconds. All fields are
 * null when nothing was recorded, so an empty run shows "n/a" rather than a misleading zero.
 */
record LatencySummary(
    long count, Double p50Us, Double p99Us, Double p999Us, Double maxUs, Double meanUs) {

  /**
   * Largest latency a histogram tracks; slower deliveries are clamped to it (and then show as max).
   */
  static final long MAX_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(120);

  /** Three significant digits: percentiles are exact to 0.1 %, far below run-to-run noise. */
  static final int SIGNIFICANT_DIGITS = 3;

  static Histogram newHistogram() {
    return new Histogram(MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
  }

  static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKABLE_NANOS));
  }

  static LatencySummary of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new LatencySummary(0, null, null, null, null, null);
    }
    return new LatencySummary(
        h.getTotalCount(),
        micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)),
        micros(h.getMaxValue()),
        round(h.getMean() / 1_000.0));
  }

  static LatencySummary merge(Iterable<Histogram> parts) {
    Histogram all = newHistogram();
    for (Histogram h : parts) {
      all.add(h);
    }
    return of(all);
  }

  private static double micros(long nanos) {
    return round(nanos / 1_000.0);
  }

  private static double round(double micros) {
    return Math.round(micros * 10.0) / 10.0;
  }
}
