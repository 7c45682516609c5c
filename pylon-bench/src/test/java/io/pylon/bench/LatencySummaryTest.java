package io.pylon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  private static final long MICROS = 1_000;

  @Test
  void of_uniformOneToTenThousandMicros_percentilesWithinHistogramPrecision() {
    Histogram h = LatencySummary.newHistogram();
    for (long us = 1; us <= 10_000; us++) {
      LatencySummary.record(h, us * MICROS);
    }

    LatencySummary s = LatencySummary.of(h);

    assertThat(s.count()).isEqualTo(10_000);
    // Three significant digits: each value is exact to 0.1 %.
    assertThat(s.p50Us()).isCloseTo(5_000.0, within(5.0));
    assertThat(s.p99Us()).isCloseTo(9_900.0, within(10.0));
    assertThat(s.p999Us()).isCloseTo(9_990.0, within(10.0));
    assertThat(s.maxUs()).isCloseTo(10_000.0, within(10.0));
    assertThat(s.meanUs()).isCloseTo(5_000.5, within(5.0));
  }

  @Test
  void of_emptyHistogram_reportsNoValuesRatherThanZero() {
    LatencySummary s = LatencySummary.of(LatencySummary.newHistogram());

    assertThat(s.count()).isZero();
    assertThat(s.p50Us()).isNull();
    assertThat(s.p99Us()).isNull();
    assertThat(s.p999Us()).isNull();
    assertThat(s.maxUs()).isNull();
  }

  @Test
  void merge_perThreadHistograms_equalsOneHistogramOfAllValues() {
    Histogram a = LatencySummary.newHistogram();
    Histogram b = LatencySummary.newHistogram();
    Histogram all = LatencySummary.newHistogram();
    for (long us = 1; us <= 1_000; us++) {
      LatencySummary.record(us % 2 == 0 ? a : b, us * 37 * MICROS);
      LatencySummary.record(all, us * 37 * MICROS);
    }

    assertThat(LatencySummary.merge(List.of(a, b))).isEqualTo(LatencySummary.of(all));
  }

  @Test
  void record_tailOfOnePercent_movesP99ButNotP50() {
    Histogram h = LatencySummary.newHistogram();
    for (int i = 0; i < 980; i++) {
      LatencySummary.record(h, 100 * MICROS);
    }
    for (int i = 0; i < 20; i++) {
      LatencySummary.record(h, 50_000 * MICROS);
    }

    LatencySummary s = LatencySummary.of(h);

    assertThat(s.p50Us()).isCloseTo(100.0, within(0.5));
    assertThat(s.p99Us()).isCloseTo(50_000.0, within(50.0));
  }

  @Test
  void record_negativeOrBeyondRange_isClampedInsteadOfThrowing() {
    Histogram h = LatencySummary.newHistogram();

    LatencySummary.record(h, -5);
    LatencySummary.record(h, Long.MAX_VALUE);

    LatencySummary s = LatencySummary.of(h);
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.maxUs())
        .isCloseTo(
            LatencySummary.MAX_TRACKABLE_NANOS / 1_000.0,
            within(LatencySummary.MAX_TRACKABLE_NANOS / 1_000.0 / 500));
  }
}
