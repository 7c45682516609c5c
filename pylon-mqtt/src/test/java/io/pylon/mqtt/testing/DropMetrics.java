package io.pylon.mqtt.testing;

import io.micrometer.core.instrument.MeterRegistry;

/** Reads the broker's drop counters from a test's meter registry. */
public final class DropMetrics {

  private DropMetrics() {}

  /** {@code pylon.mqtt.messages.dropped} for one reason. */
  public static double dropped(MeterRegistry meters, String reason) {
    return meters
        .get("pylon.mqtt.messages.dropped")
        .tag("reason", reason)
        .functionCounter()
        .count();
  }
}
